// Routes the Worker's outbound fetches to the fake CRM (FakeHubSpot, FakeTwenty) of their host, so a
// whole-Worker or console test reaches no network; any other host answers 599.
import { vi } from "vitest";
import { FAKE_TWENTY_URL } from "./fake-twenty";

export const HUBSPOT_HOST = "api.hubapi.com";
export const TWENTY_HOST = new URL(FAKE_TWENTY_URL).host;

export interface FakeCrm {
	fetch(input: string, init: RequestInit): Promise<Response>;
}

export function routeFetchByHost(byHost: Record<string, FakeCrm>): void {
	vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
		const request = new Request(input, init);
		const fake = byHost[new URL(request.url).host];
		if (!fake) return new Response(`no fake for ${request.url}`, { status: 599 });
		const body = request.method === "GET" ? undefined : await request.text();
		return fake.fetch(request.url, { method: request.method, headers: request.headers, body });
	});
}
