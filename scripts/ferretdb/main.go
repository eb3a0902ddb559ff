// Command ferretdb runs FerretDB 1.24 embedded, for local runs and tests only: on PostgreSQL when
// --postgresql-url is given (what `npm start` runs), else on SQLite files in --sqlite-dir.
// The upstream command refuses to start when built from the module proxy (it wants a
// version.txt made by its own build), so we start its embeddable package instead.
// Telemetry is disabled by the embeddable package; we listen on loopback only.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on (loopback)")
	dir := flag.String("sqlite-dir", "data/ferretdb", "directory for the SQLite databases")
	pg := flag.String("postgresql-url", "", "PostgreSQL connection string (the postgresql backend); empty: SQLite")
	flag.Parse()

	if !strings.HasPrefix(*listen, "127.") && !strings.HasPrefix(*listen, "localhost:") {
		fmt.Fprintln(os.Stderr, "ferretdb: refusing to listen beyond loopback:", *listen)
		os.Exit(2)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}

	handler := "sqlite"
	if *pg != "" {
		handler = "postgresql"
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Logger:        logger,
		Handler:       handler,
		PostgreSQLURL: *pg,
		SQLiteURL:     "file:" + strings.TrimSuffix(*dir, "/") + "/",
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	fmt.Println("ferretdb listening on", *listen)
	_ = f.Run(ctx)
}
