// centrifuge-peer: a stand-in for Centrifugo v6 in the benchmark, used only because the Go module
// proxy refuses github.com/centrifugal/centrifugo/v6 here (see centrifugo.unavailable in the
// peers folder). It is NOT Centrifugo: it is the github.com/centrifugal/centrifuge library that
// Centrifugo is built on, wired the way a Centrifugo node with this configuration behaves:
//
//   - Redis engine: RedisBroker (PUB/SUB, history in Redis streams) and RedisPresenceManager,
//     one shard, prefix "centrifugo", so several nodes behind one Redis share every channel;
//   - anonymous connections without a token, subscriptions allowed for anonymous clients
//     (client.allow_anonymous_connect_without_token, allow_subscribe_for_anonymous);
//   - channels in the "rec" namespace ("rec:<name>") keep history (1000 publications, 300 s)
//     and force recovery, like a namespace with history_size, history_ttl and force_recovery;
//   - the WebSocket endpoint /connection/websocket (JSON and Protobuf client protocols) and the
//     HTTP server API POST /api/publish and /api/broadcast with the X-API-Key header, same
//     bodies and answers as Centrifugo's.
//
// Configured by flags; prints "centrifuge-peer listening on <addr>" once it serves.
package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/centrifugal/centrifuge"
)

const (
	recoverNamespace = "rec:"
	historySize      = 1000
	historyTTL       = 300 * time.Second
)

type apiError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

type publishRequest struct {
	Channel string          `json:"channel"`
	Data    json.RawMessage `json:"data"`
}

type broadcastRequest struct {
	Channels []string        `json:"channels"`
	Data     json.RawMessage `json:"data"`
}

type streamPosition struct {
	Offset uint64 `json:"offset,omitempty"`
	Epoch  string `json:"epoch,omitempty"`
}

func publishOptions(channel string) []centrifuge.PublishOption {
	if strings.HasPrefix(channel, recoverNamespace) {
		return []centrifuge.PublishOption{centrifuge.WithHistory(historySize, historyTTL)}
	}
	return nil
}

func publish(node *centrifuge.Node, channel string, data json.RawMessage) (streamPosition, *apiError) {
	if channel == "" || len(data) == 0 {
		return streamPosition{}, &apiError{107, "bad request"}
	}
	res, err := node.Publish(channel, data, publishOptions(channel)...)
	if err != nil {
		return streamPosition{}, &apiError{100, "internal server error"}
	}
	return streamPosition{Offset: res.Offset, Epoch: res.Epoch}, nil
}

// apiHandler answers like Centrifugo's HTTP API: 401 without the right key, else 200 with
// {"result":...} or {"error":{"code","message"}}.
func apiHandler(node *centrifuge.Node, key string) http.Handler {
	write := func(w http.ResponseWriter, body any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(body)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/publish", func(w http.ResponseWriter, r *http.Request) {
		var req publishRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			write(w, map[string]any{"error": apiError{107, "bad request"}})
			return
		}
		pos, apiErr := publish(node, req.Channel, req.Data)
		if apiErr != nil {
			write(w, map[string]any{"error": apiErr})
			return
		}
		write(w, map[string]any{"result": pos})
	})
	mux.HandleFunc("POST /api/broadcast", func(w http.ResponseWriter, r *http.Request) {
		var req broadcastRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			write(w, map[string]any{"error": apiError{107, "bad request"}})
			return
		}
		responses := make([]map[string]any, 0, len(req.Channels))
		for _, ch := range req.Channels {
			pos, apiErr := publish(node, ch, req.Data)
			if apiErr != nil {
				responses = append(responses, map[string]any{"error": apiErr})
			} else {
				responses = append(responses, map[string]any{"result": pos})
			}
		}
		write(w, map[string]any{"result": map[string]any{"responses": responses}})
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("X-API-Key")
		if subtle.ConstantTimeCompare([]byte(got), []byte(key)) != 1 {
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8000", "address to listen on")
	redisAddr := flag.String("redis", "127.0.0.1:6379", "Redis address")
	apiKey := flag.String("api-key", "", "HTTP API key (X-API-Key)")
	name := flag.String("name", "", "node name")
	flag.Parse()
	if *apiKey == "" {
		log.Fatal("an -api-key is required")
	}

	node, err := centrifuge.New(centrifuge.Config{
		Name:     *name,
		LogLevel: centrifuge.LogLevelWarn,
		LogHandler: func(e centrifuge.LogEntry) {
			log.Printf("%s %v", e.Message, e.Fields)
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	shard, err := centrifuge.NewRedisShard(node, centrifuge.RedisShardConfig{Address: *redisAddr})
	if err != nil {
		log.Fatal(err)
	}
	broker, err := centrifuge.NewRedisBroker(node, centrifuge.RedisBrokerConfig{
		Prefix: "centrifugo",
		Shards: []*centrifuge.RedisShard{shard},
	})
	if err != nil {
		log.Fatal(err)
	}
	node.SetBroker(broker)
	presence, err := centrifuge.NewRedisPresenceManager(node, centrifuge.RedisPresenceManagerConfig{
		Prefix: "centrifugo",
		Shards: []*centrifuge.RedisShard{shard},
	})
	if err != nil {
		log.Fatal(err)
	}
	node.SetPresenceManager(presence)

	// Anonymous connections, as with allow_anonymous_connect_without_token.
	node.OnConnecting(func(ctx context.Context, _ centrifuge.ConnectEvent) (centrifuge.ConnectReply, error) {
		return centrifuge.ConnectReply{Credentials: &centrifuge.Credentials{UserID: ""}}, nil
	})
	node.OnConnect(func(client *centrifuge.Client) {
		client.OnSubscribe(func(e centrifuge.SubscribeEvent, cb centrifuge.SubscribeCallback) {
			opts := centrifuge.SubscribeOptions{}
			if strings.HasPrefix(e.Channel, recoverNamespace) {
				opts.EnableRecovery = true
			}
			cb(centrifuge.SubscribeReply{Options: opts}, nil)
		})
	})
	if err := node.Run(); err != nil {
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.Handle("/connection/websocket", centrifuge.NewWebsocketHandler(node, centrifuge.WebsocketConfig{
		// The benchmark's clients send no Origin; browsers of any origin may connect (allowed_origins ["*"]).
		CheckOrigin: func(*http.Request) bool { return true },
	}))
	mux.Handle("/api/", apiHandler(node, *apiKey))
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	server := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := server.Serve(listener); err != nil && err != http.ErrServerClosed {
			log.Fatal(err)
		}
	}()
	fmt.Printf("centrifuge-peer listening on %s\n", listener.Addr())

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	<-signals
	// A deploy: stop listening first, so that clients told to reconnect (shutdown, code 3001)
	// find the other node rather than this one again, then disconnect them and stop.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = server.Shutdown(ctx)
	_ = node.Shutdown(ctx)
}
