// The test/support FakeSalesforce org served over HTTP on 127.0.0.1 for the browser suite: the
// relay (running under `npm run dev`) reaches it as a connection's login URL, allowed there by
// SALESFORCE_ALLOW_LOOPBACK_HTTP. The token answer points instance_url back at this server.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { FAKE_INSTANCE_URL, FAKE_LOGIN_URL, FakeSalesforce } from "../support/fake-salesforce";

export interface FakeSalesforceServer {
	org: FakeSalesforce;
	url: string;
	close(): Promise<void>;
}

export async function startFakeSalesforce(): Promise<FakeSalesforceServer> {
	const org = new FakeSalesforce();
	let origin = "";
	const server: Server = createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const path = req.url ?? "/";
		// The fake answers on Salesforce's own hosts: map this server's paths onto them.
		const host = path.startsWith("/services/oauth2/") ? FAKE_LOGIN_URL : FAKE_INSTANCE_URL;
		const headers = new Headers();
		for (const [name, value] of Object.entries(req.headers)) {
			if (typeof value === "string") headers.set(name, value);
		}
		const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
		const answer = await org.handle(
			new Request(`${host}${path}`, { method: req.method, headers, body }),
		);
		let text = await answer.text();
		if (host === FAKE_LOGIN_URL && answer.ok) text = text.split(FAKE_INSTANCE_URL).join(origin);
		res.writeHead(answer.status, Object.fromEntries(answer.headers));
		res.end(text);
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		org,
		url: origin,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
