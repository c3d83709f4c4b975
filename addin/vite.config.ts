/**
 * Build of the Outlook add-in task pane: root `addin/`, output `dist/addin`, served by the service under
 * `/addin/`. The pages load Office.js from Microsoft's CDN; in dev mode the service rewrites that URL to
 * the Outlook dev host's Office shim. Surfaces other than the first one shown are separate chunks.
 */
import path from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = path.resolve(import.meta.dirname);

export default defineConfig({
  root,
  base: "/addin/",
  plugins: [react()],
  publicDir: path.resolve(root, "public"),
  build: {
    outDir: path.resolve(root, "../dist/addin"),
    emptyOutDir: true,
    sourcemap: true,
    target: "es2022",
    rollupOptions: {
      input: {
        taskpane: path.resolve(root, "index.html"),
        commands: path.resolve(root, "commands.html"),
      },
    },
  },
});
