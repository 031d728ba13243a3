// The browser suite (npm run test:browser): real headless Chromium from Debian's package, driven by
// playwright-core, against the relay started with `npm run dev` (test/browser/dev-server.ts). Runs
// in Node, not workerd: it is a client of the running Worker, like an operator's browser.
import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		include: ["test/browser/**/*.test.ts"],
		environment: "node",
		globalSetup: ["test/browser/dev-server.ts"],
		fileParallelism: false,
		testTimeout: 180_000,
		hookTimeout: 60_000,
	},
});
