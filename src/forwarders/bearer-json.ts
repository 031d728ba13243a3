// The request and answer plumbing the token-authorised JSON APIs share (HubSpot, Twenty).

/** A JSON request with a bearer token; a body only when there is one. */
export function bearerJson(method: string, token: string, body: unknown): RequestInit {
	return {
		method,
		headers: {
			Authorization: `Bearer ${token}`,
			Accept: "application/json",
			...(body === undefined ? {} : { "Content-Type": "application/json" }),
		},
		...(body === undefined ? {} : { body: JSON.stringify(body) }),
	};
}

/** The answer's JSON, or undefined for an empty or non-JSON body (a gateway's HTML page). */
export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
