// Optional Cloudflare Access sign-in: with CF_ACCESS_TEAM_DOMAIN and CF_ACCESS_AUD set, the
// Cf-Access-Jwt-Assertion header Access adds is verified with jose against the team's JWKS
// (https://<team>/cdn-cgi/access/certs): RS256 signature, issuer, audience and expiry.
import { createRemoteJWKSet, customFetch, jwtVerify } from "jose";

export const ACCESS_HEADER = "Cf-Access-Jwt-Assertion";

type KeySet = ReturnType<typeof createRemoteJWKSet>;
/** One key set per team: jose caches the keys and refetches on an unknown kid (rotation). */
const keySets = new Map<string, KeySet>();

function keySetFor(teamDomain: string): KeySet {
	let keys = keySets.get(teamDomain);
	if (!keys) {
		keys = createRemoteJWKSet(new URL(`https://${teamDomain}/cdn-cgi/access/certs`), {
			// Through globalThis at call time, like every outbound call of the Worker.
			[customFetch]: (url, options) => fetch(url, options),
			timeoutDuration: 5000,
		});
		keySets.set(teamDomain, keys);
	}
	return keys;
}

/** The operator's identity (email, else subject) when the assertion is valid; undefined otherwise. */
export async function verifyAccessJwt(
	token: string,
	access: { teamDomain: string; aud: string },
): Promise<string | undefined> {
	try {
		const { payload } = await jwtVerify(token, keySetFor(access.teamDomain), {
			issuer: `https://${access.teamDomain}`,
			audience: access.aud,
			algorithms: ["RS256"],
		});
		const email = typeof payload.email === "string" ? payload.email : undefined;
		return email ?? payload.sub ?? "access";
	} catch {
		return undefined;
	}
}
