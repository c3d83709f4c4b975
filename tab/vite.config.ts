/**
 * Build of the Teams tab: root `tab/`, output `dist/tab`, served by the service under `/tab/`.
 * The admin views, the data grid and the scheduling grid are split into chunks loaded on demand so the
 * first load stays small.
 */
import path from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = path.resolve(import.meta.dirname);

export default defineConfig({
  root,
  base: "/tab/",
  plugins: [react()],
  publicDir: false,
  build: {
    outDir: path.resolve(root, "../dist/tab"),
    emptyOutDir: true,
    sourcemap: true,
    target: "es2022",
    chunkSizeWarningLimit: 600,
  },
  server: { port: 5173, strictPort: false },
});
