/** Stylesheets imported for their effect: esbuild gathers them into app.css (scripts/build-web.ts). */
declare module '*.css';
