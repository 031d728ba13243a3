// The bench floor: the least a webhook relay can do, served by the same Miniflare as the relay.
// POST /bare reads the body and answers 200 without touching storage; POST /ack is a minimal durable
// ack: one KV get and one D1 insert of the raw body, then 200.
export default {
	async fetch(request, env) {
		const { pathname } = new URL(request.url);
		if (pathname === "/bare") return bare(request);
		if (pathname === "/ack") return durableAck(request, env);
		return new Response("not found", { status: 404 });
	},
};

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
