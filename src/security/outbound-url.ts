// The guard for URLs an operator gives Leadwire to call (webhook destinations, Slack and webhook
// channels): https to a public host only, so a stored URL cannot aim the relay at internal services.

export type OutboundUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * Checks the URL's literal host; the WHATWG parser has already normalised IPv4 forms such as
 * `0x7f.1` or `2130706433` to dotted decimal. Names are not resolved (a Worker cannot), so a public
 * name pointing at a private address is left to the platform: Workers cannot reach private networks.
 * `allowLoopbackHttp` is the local-development allowance: http://127.0.0.1 and http://localhost.
 */
export function checkOutboundUrl(
	raw: string,
	options: { allowLoopbackHttp: boolean } = { allowLoopbackHttp: false },
): OutboundUrlCheck {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return { ok: false, reason: "is not a URL" };
	}
	if (url.username || url.password)
		return { ok: false, reason: "must not carry a user or password" };
	const host = url.hostname.toLowerCase();
	const loopbackHost = host === "127.0.0.1" || host === "localhost";
	if (url.protocol === "http:" && loopbackHost && options.allowLoopbackHttp)
		return { ok: true, url };
	if (url.protocol !== "https:") return { ok: false, reason: "must be an https:// URL" };
	const refused = refusedHost(host);
	return refused
		? { ok: false, reason: `must point at a public host (${refused})` }
		: { ok: true, url };
}

/** Why a host is not public, or undefined when it is. */
function refusedHost(host: string): string | undefined {
	if (host === "localhost" || host.endsWith(".localhost")) return "localhost";
	if (host.endsWith(".local") || host.endsWith(".internal") || !host.includes(".")) {
		if (!host.startsWith("[")) return "a local name";
	}
	if (host.startsWith("[")) return refusedIpv6(host.slice(1, -1));
	const v4 = parseIpv4(host);
	return v4 ? refusedIpv4(v4) : undefined;
}

/** The first two octets of a dotted-decimal IPv4 host (all the checks need), or undefined. */
function parseIpv4(host: string): [number, number] | undefined {
	const match = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host);
	return match ? [Number(match[1]), Number(match[2])] : undefined;
}

function refusedIpv4([a, b]: [number, number]): string | undefined {
	if (a === 0) return "this network";
	if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "private";
	if (a === 127) return "loopback";
	if (a === 169 && b === 254) return "link-local";
	if (a === 100 && b >= 64 && b <= 127) return "shared address space";
	if (a >= 224) return "multicast or reserved";
	return undefined;
}

function refusedIpv6(address: string): string | undefined {
	const lower = address.toLowerCase();
	if (lower === "::1") return "loopback";
	if (lower === "::") return "unspecified";
	if (/^f[cd]/.test(lower)) return "private";
	if (/^fe[89ab]/.test(lower)) return "link-local";
	if (lower.startsWith("ff")) return "multicast";
	// IPv4-mapped (::ffff:a.b.c.d, which the URL parser writes as ::ffff:xxxx:xxxx).
	const mapped = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(lower);
	if (mapped) {
		const high = Number.parseInt(mapped[1] ?? "0", 16);
		return refusedIpv4([high >> 8, high & 255]) ?? "IPv4-mapped";
	}
	return undefined;
}
