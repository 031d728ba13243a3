// Captures what the Worker writes to the console (the `wrangler tail` lines) instead of printing it.
// The spies are restored after each test (test/setup/restore-mocks.ts).
import { vi } from "vitest";

/** Every console line written from now on, as the text `wrangler tail` would show. */
export function captureConsole(): string[] {
	const lines: string[] = [];
	for (const method of ["log", "info", "warn", "error"] as const) {
		vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
			lines.push(args.map(String).join(" "));
		});
	}
	return lines;
}
