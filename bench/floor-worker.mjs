// The bench floor: the least a webhook relay can do, served by the same Miniflare as the relay.
// POST /bare reads the body and answers 200 without touching storage; POST /ack is a minimal durable
// ack: one KV get and one D1 insert of the raw body; POST /ack-rows is a durable ack of the rows the
// relay must write per lead: one KV get, then one D1 batch inserting a client, its phone and a log row;
// POST /ack-rows-verified (a diagnostic) first checks the HMAC signature and parses the JSON body, as
// any webhook relay must before it acknowledges.
export default {
	async fetch(request, env) {
		const { pathname } = new URL(request.url);
		if (pathname === "/bare") return bare(request);
		if (pathname === "/ack") return durableAck(request, env);
		if (pathname === "/ack-rows") return relayRowsAck(request, env);
		if (pathname === "/ack-rows-verified") return verifiedRelayRowsAck(request, env);
		return new Response("not found", { status: 404 });
	},
};

/** The lead's answers as the relay stores them (one JSON text column); the same for every request. */
const ANSWERS = JSON.stringify([
	{ name: "name", values: ["Bench Lead"] },
	{ name: "phone_number", values: ["+971501234567"] },
	{ name: "email", values: ["bench.lead@example.com"] },
	{ name: "What treatment are you interested in?", values: ["Teeth whitening"] },
]);

/** The body is read: workerd stalls keep-alive connections whose request body was left unread. */
async function bare(request) {
	await request.arrayBuffer();
	return new Response("ok");
}

async function durableAck(request, env) {
	const body = await request.text();
	const signature = request.headers.get("X-Open-Signature") ?? "";
	const seen = await env.KV.get(`ack:${signature}`);
	await env.DB.prepare("INSERT INTO bench_acks (signature, payload) VALUES (?, ?)")
		.bind(signature, body)
		.run();
	return Response.json({ ok: true, seen: seen !== null });
}

/**
 * The relay's per-lead write contract with plain VALUES inserts, in one batch (one transaction):
 * the client (new per request: the signature is its external id), its phone, one log row. The
 * body is read but not parsed, so this measures the storage of the rows, not the relay's own code.
 */
async function relayRowsAck(request, env) {
	await request.text();
	return storeRows(env, request.headers.get("X-Open-Signature") ?? "");
}

/** relayRowsAck after the work no relay may skip: the HMAC check over the raw bytes and a JSON parse. */
async function verifiedRelayRowsAck(request, env) {
	const body = new Uint8Array(await request.arrayBuffer());
	const signature = request.headers.get("X-Open-Signature") ?? "";
	if (!(await verifySignature(env.BENCH_SECRET, body, signature))) {
		return new Response("bad signature", { status: 401 });
	}
	JSON.parse(new TextDecoder().decode(body));
	return storeRows(env, signature);
}

async function storeRows(env, externalId) {
	const receiptId = crypto.randomUUID();
	const seen = await env.KV.get(`ack:${externalId}`);
	const [client] = await env.DB.batch([
		env.DB.prepare(
			`INSERT INTO bench_clients (company_id, integration_account_id, source, external_id, full_name,
				email, form_id, answers, receipt_id)
			VALUES (1, 1, 'tiktok_leadgen', ?, 'Bench Lead', 'bench.lead@example.com', '7541102938475610231',
				?, ?)
			ON CONFLICT (integration_account_id, external_id) DO NOTHING
			RETURNING id`,
		).bind(externalId, ANSWERS, receiptId),
		env.DB.prepare(
			`INSERT INTO bench_client_phone_numbers (client_id, phone_number)
			VALUES ((SELECT id FROM bench_clients WHERE integration_account_id = 1 AND external_id = ?),
				'+971501234567')
			ON CONFLICT (client_id, phone_number) DO NOTHING`,
		).bind(externalId),
		env.DB.prepare(
			`INSERT INTO bench_integration_logs (company_id, provider, action, status, message, external_id,
				request_id)
			VALUES (1, 'tiktok', 'lead_received', 'success', 'client created', ?, ?)`,
		).bind(externalId, receiptId),
	]);
	return Response.json({ ok: true, seen: seen !== null, created: client.results.length === 1 });
}

const keys = new Map();

/** The relay's check (src/security/hmac.ts): WebCrypto verify, the key imported once. */
async function verifySignature(secret, body, signatureHex) {
	if (!/^[0-9a-fA-F]{64}$/.test(signatureHex)) return false;
	const signature = new Uint8Array(32);
	for (let i = 0; i < 32; i++)
		signature[i] = Number.parseInt(signatureHex.slice(i * 2, i * 2 + 2), 16);
	let key = keys.get(secret);
	if (!key) {
		key = crypto.subtle.importKey(
			"raw",
			new TextEncoder().encode(secret),
			{ name: "HMAC", hash: "SHA-256" },
			false,
			["verify"],
		);
		keys.set(secret, key);
	}
	return crypto.subtle.verify("HMAC", await key, signature, body);
}
