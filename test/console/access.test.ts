// Cloudflare Access sign-in: a Cf-Access-Jwt-Assertion signed by the team's key (JWKS fetched from
// https://<team>/cdn-cgi/access/certs, faked here with a locally generated RSA key) opens the console;
// a wrong audience, issuer, key or an expired token is refused. Nothing reaches the network.
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { consoleFetch, textOf } from "../support/operator-console";

const TEAM = "northwind.cloudflareaccess.com";
const AUD = "4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2";
const ACCESS = { CF_ACCESS_TEAM_DOMAIN: TEAM, CF_ACCESS_AUD: AUD };
const KID = "access-key-1";

let teamKey: CryptoKey;
let otherKey: CryptoKey;
let jwksCalls: string[] = [];

beforeAll(async () => {
	const team = await generateKeyPair("RS256", { extractable: true });
	teamKey = team.privateKey;
	otherKey = (await generateKeyPair("RS256")).privateKey;
	const jwk = { ...(await exportJWK(team.publicKey)), kid: KID, alg: "RS256", use: "sig" };
	vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
		const url = input instanceof Request ? input.url : String(input);
		jwksCalls.push(url);
		if (url === `https://${TEAM}/cdn-cgi/access/certs`) {
			return Response.json({ keys: [jwk], public_cert: { kid: KID, cert: "unused" } });
		}
		return new Response("unexpected fetch", { status: 599 });
	});
});

afterEach(() => {
	jwksCalls = [];
});

async function assertion(
	claims: { aud?: string; iss?: string; expiresIn?: string; email?: string } = {},
	key: CryptoKey = teamKey,
): Promise<string> {
	return new SignJWT({ email: claims.email ?? "ops@northwind.example", type: "app" })
		.setProtectedHeader({ alg: "RS256", kid: KID })
		.setIssuer(claims.iss ?? `https://${TEAM}`)
		.setAudience(claims.aud ?? AUD)
		.setSubject("7335d417-61da-459d-899c-0a01c76a2f94")
		.setIssuedAt()
		.setExpirationTime(claims.expiresIn ?? "5m")
		.sign(key);
}

function withAssertion(token: string, path = "/console") {
	return consoleFetch(path, { headers: { "Cf-Access-Jwt-Assertion": token } }, ACCESS);
}

describe("console behind Cloudflare Access", () => {
	it("a valid assertion opens the console without the admin token", async () => {
		const response = await withAssertion(await assertion());
		expect(response.status).toBe(200);
		expect(textOf(await response.text())).toContain("Needs action");
		expect(jwksCalls.every((url) => url === `https://${TEAM}/cdn-cgi/access/certs`)).toBe(true);
	});

	it("its forms work with the page's CSRF token", async () => {
		const token = await assertion();
		const page = await withAssertion(token, "/console/companies");
		const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
		const created = await consoleFetch(
			"/console/companies",
			{
				method: "POST",
				headers: {
					"Cf-Access-Jwt-Assertion": token,
					"Content-Type": "application/x-www-form-urlencoded",
					Origin: "https://relay.test",
				},
				body: new URLSearchParams({ name: "Access Clinic", _csrf: csrf }).toString(),
			},
			ACCESS,
		);
		expect(created.status).toBe(303);
		expect(created.headers.get("Location")).toMatch(/^\/console\/companies\/\d+$/);
	});

	it.each([
		["another audience", { aud: "some-other-application-aud" }, undefined],
		["another issuer", { iss: "https://evil.cloudflareaccess.com" }, undefined],
		["an expired token", { expiresIn: "-1m" }, undefined],
		["a key that is not the team's", {}, "other"],
	] as const)("refuses %s", async (_name, claims, key) => {
		const token = await assertion(claims, key === "other" ? otherKey : teamKey);
		const response = await withAssertion(token);
		expect(response.status).toBe(403);
		expect(await response.text()).not.toContain("Needs action");
	});

	it("refuses a malformed assertion", async () => {
		const response = await withAssertion("not.a.jwt");
		expect(response.status).toBe(403);
	});

	it("without an assertion, the token sign-in still applies", async () => {
		const response = await consoleFetch("/console", {}, ACCESS);
		expect(response.status).toBe(303);
		expect(response.headers.get("Location")).toBe("/console/sign-in?next=%2Fconsole");
	});

	it("an assertion is ignored when Access is not configured", async () => {
		const response = await consoleFetch("/console", {
			headers: { "Cf-Access-Jwt-Assertion": await assertion() },
		});
		expect(response.status).toBe(303);
		expect(jwksCalls).toEqual([]);
	});
});
