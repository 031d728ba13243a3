// The Salesforce forwarder against the fake org (injected fetch): every documented error lands in its
// class, collections read per-record results, and the session is refreshed once on INVALID_SESSION_ID.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import type { OutboundRecord, SendResult } from "../../src/forwarders/forwarder";
import { salesforceForwarder } from "../../src/forwarders/salesforce";
import { refreshSession } from "../../src/forwarders/salesforce-auth";
import { secretBox } from "../../src/security/secret-box";
import {
	DUPLICATE_MATCH_ID,
	FAKE_CONSUMER_KEY,
	FAKE_CONSUMER_SECRET,
	FAKE_LOGIN_URL,
	FAKE_REFRESH_TOKEN,
	FakeSalesforce,
	fixtureAnswer,
	PARTIAL_FAILURE_BODY,
} from "../support/fake-salesforce";
import { TEST_ENCRYPTION_KEY } from "../support/secrets";

let connections = 0;

function setup(fake: FakeSalesforce, fetch = fake.fetch) {
	connections += 1;
	const rotated: string[] = [];
	const deps = {
		fetch,
		kv: env.DEDUPE,
		box: secretBox(TEST_ENCRYPTION_KEY),
		onRotatedRefreshToken: async (token: string) => void rotated.push(token),
	};
	const credentials = {
		connectionId: 10_000 + connections,
		loginUrl: FAKE_LOGIN_URL,
		consumerKey: FAKE_CONSUMER_KEY,
		consumerSecret: FAKE_CONSUMER_SECRET,
		refreshToken: FAKE_REFRESH_TOKEN,
	};
	const target = {
		apiVersion: "v66.0",
		targetObject: "Lead" as const,
		externalIdField: null,
		autoAssign: null,
		duplicateAllowSave: false,
	};
	return { forwarder: salesforceForwarder(deps, credentials, target), rotated, deps, credentials };
}

function records(n: number): OutboundRecord[] {
	return Array.from({ length: n }, (_, i) => ({
		forwardId: i + 1,
		fields: { LastName: `Lead ${i + 1}`, Company: "Northwind Dental" },
	}));
}

function only(result: SendResult) {
	if (result.kind === "results") return result.results[0];
	if (result.kind === "all") return result.result;
	return result;
}

describe("Salesforce forwarder classification", () => {
	const recordErrors: [string, string][] = [
		["REQUIRED_FIELD_MISSING", "permanent"],
		["INVALID_FIELD", "permanent"],
		["INVALID_EMAIL_ADDRESS", "permanent"],
		["STRING_TOO_LONG", "permanent"],
		["FIELD_CUSTOM_VALIDATION_EXCEPTION", "permanent"],
		["INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "permanent"],
		["UNABLE_TO_LOCK_ROW", "transient"],
		["DUPLICATES_DETECTED", "duplicate"],
	];
	for (const [code, kind] of recordErrors) {
		it(`classes ${code} as ${kind}, on a create and in a collection`, async ({ expect }) => {
			const fake = new FakeSalesforce();
			fake.rejectRecord = (record) =>
				record.LastName === "Lead 1" ? { code, fields: ["Email"] } : undefined;
			const { forwarder } = setup(fake);

			const single = await forwarder.send(records(1));
			const batch = await forwarder.send(records(2));

			expect(only(single)).toMatchObject({ kind, code });
			expect(batch.kind).toBe("results");
			if (batch.kind !== "results") return;
			expect(batch.results[0]).toMatchObject({ kind, code });
			expect(batch.results[1]).toMatchObject({ kind: "sent" });
		});
	}

	it("keeps the matched record id of DUPLICATES_DETECTED", async ({ expect }) => {
		const fake = new FakeSalesforce();
		fake.rejectRecord = () => ({ code: "DUPLICATES_DETECTED" });
		const { forwarder } = setup(fake);

		expect(only(await forwarder.send(records(1)))).toEqual({
			kind: "duplicate",
			code: "DUPLICATES_DETECTED",
			matchedId: DUPLICATE_MATCH_ID,
		});
	});

	it("answers permanent failures with the code and field names, never Salesforce's message", async ({
		expect,
	}) => {
		const fake = new FakeSalesforce();
		fake.rejectRecord = () => ({ code: "REQUIRED_FIELD_MISSING" });
		const { forwarder } = setup(fake);

		expect(only(await forwarder.send(records(1)))).toEqual({
			kind: "permanent",
			code: "REQUIRED_FIELD_MISSING",
			detail: "REQUIRED_FIELD_MISSING [LastName, Company]",
		});
	});

	it("makes API_DISABLED_FOR_ORG a connection problem, not a record failure", async ({
		expect,
	}) => {
		const fake = new FakeSalesforce();
		const { forwarder } = setup(fake);
		fake.nextAnswers.push(fixtureAnswer("API_DISABLED_FOR_ORG"));

		expect(await forwarder.send(records(2))).toMatchObject({
			kind: "connection",
			problem: "api_disabled",
			code: "API_DISABLED_FOR_ORG",
			httpStatus: 403,
		});
	});

	it("retries REQUEST_LIMIT_EXCEEDED after a long backoff and reports the usage", async ({
		expect,
	}) => {
		const fake = new FakeSalesforce();
		const { forwarder } = setup(fake);
		fake.nextAnswers.push(fixtureAnswer("REQUEST_LIMIT_EXCEEDED"));

		expect(await forwarder.send(records(2))).toMatchObject({
			kind: "all",
			result: { kind: "transient", code: "REQUEST_LIMIT_EXCEEDED", minDelaySeconds: 3600 },
			httpStatus: 403,
			usage: { used: 15023, max: 15000 },
		});
	});

	it("retries 5xx, HTML gateway pages (honouring Retry-After), network errors and timeouts", async ({
		expect,
	}) => {
		const fake = new FakeSalesforce();
		const { forwarder } = setup(fake);
		fake.nextAnswers.push(
			{
				status: 503,
				body: "<html><body>Maintenance</body></html>",
				headers: { "Content-Type": "text/html", "Retry-After": "120" },
			},
			{ status: 500, body: JSON.stringify([{ errorCode: "SERVER_UNAVAILABLE", message: "down" }]) },
			{ status: 500, body: JSON.stringify([{ errorCode: "UNKNOWN_EXCEPTION", message: "oops" }]) },
		);

		expect(only(await forwarder.send(records(2)))).toEqual({
			kind: "transient",
			code: "HTML_ERROR_PAGE",
			retryAfterSeconds: 120,
		});
		expect(only(await forwarder.send(records(2)))).toEqual({
			kind: "transient",
			code: "SERVER_UNAVAILABLE",
		});
		expect(only(await forwarder.send(records(1)))).toEqual({
			kind: "transient",
			code: "UNKNOWN_EXCEPTION",
		});

		const failing = (error: Error) => (input: string, init: RequestInit) =>
			input.includes("/oauth2/") ? fake.fetch(input, init) : Promise.reject(error);
		const network = setup(fake, failing(new TypeError("Network connection lost."))).forwarder;
		const timeout = setup(
			fake,
			failing(new DOMException("The operation timed out.", "TimeoutError")),
		).forwarder;
		expect(await network.send(records(2))).toMatchObject({
			kind: "all",
			result: { kind: "transient", code: "NETWORK_ERROR" },
			httpStatus: null,
		});
		expect(await timeout.send(records(2))).toMatchObject({
			kind: "all",
			result: { kind: "transient", code: "TIMEOUT" },
			httpStatus: null,
		});
	});

	it("reads the documented partial failure of a collection record by record", async ({
		expect,
	}) => {
		const fake = new FakeSalesforce();
		const { forwarder } = setup(fake);
		fake.nextAnswers.push({ status: 200, body: JSON.stringify(PARTIAL_FAILURE_BODY) });

		const result = await forwarder.send(records(3));

		expect(result).toMatchObject({
			kind: "results",
			httpStatus: 200,
			usage: { used: 1453, max: 15000 },
		});
		expect(result.kind === "results" && result.results).toEqual([
			{ kind: "sent", remoteId: "00QWs00000FxLd2MAF" },
			{
				kind: "permanent",
				code: "REQUIRED_FIELD_MISSING",
				detail: "REQUIRED_FIELD_MISSING [Company]",
			},
			{ kind: "sent", remoteId: "00QWs00000FxLd3MAF" },
		]);
		const body = JSON.parse(fake.dataCalls()[0]?.body ?? "");
		expect(body).toMatchObject({ allOrNone: false });
		expect(body.records[0]).toEqual({
			attributes: { type: "Lead" },
			LastName: "Lead 1",
			Company: "Northwind Dental",
		});
	});

	it("resubmits records an all-or-none failure rolled back, not the one that caused it", async ({
		expect,
	}) => {
		const fake = new FakeSalesforce();
		const { forwarder } = setup(fake);
		const rolledBack = {
			statusCode: "ALL_OR_NONE_OPERATION_ROLLED_BACK",
			message:
				"Record rolled back because not all records were valid and the request was using AllOrNone header",
			fields: [],
		};
		fake.nextAnswers.push({
			status: 200,
			body: JSON.stringify([
				{ success: false, errors: [rolledBack] },
				{
					success: false,
					errors: [
						{
							statusCode: "INVALID_EMAIL_ADDRESS",
							message: "Email: invalid email address: x",
							fields: ["Email"],
						},
					],
				},
			]),
		});

		const result = await forwarder.send(records(2));

		expect(result.kind === "results" && result.results).toEqual([
			{ kind: "transient", code: "ALL_OR_NONE_OPERATION_ROLLED_BACK" },
			{ kind: "permanent", code: "INVALID_EMAIL_ADDRESS", detail: "INVALID_EMAIL_ADDRESS [Email]" },
		]);
	});
});

describe("Salesforce forwarder sessions", () => {
	it("refreshes once on 401 INVALID_SESSION_ID and retries the call once", async ({ expect }) => {
		const fake = new FakeSalesforce();
		const { forwarder } = setup(fake);
		await forwarder.send(records(1));
		fake.expireSessions();

		const result = await forwarder.send(records(1));

		expect(only(result)).toMatchObject({ kind: "sent" });
		expect(fake.tokenCalls()).toHaveLength(2);
		expect(fake.dataCalls().map((c) => c.headers.authorization)).toEqual([
			expect.stringMatching(/1$/),
			expect.stringMatching(/1$/),
			expect.stringMatching(/2$/),
		]);
	});

	it("reuses the cached session: one token call for many sends", async ({ expect }) => {
		const fake = new FakeSalesforce();
		const { forwarder } = setup(fake);

		for (let i = 0; i < 3; i++) await forwarder.send(records(1));

		expect(fake.tokenCalls()).toHaveLength(1);
		expect(fake.tokenCalls()[0]?.body).toBe(
			`grant_type=refresh_token&refresh_token=${encodeURIComponent(FAKE_REFRESH_TOKEN)}&client_id=${encodeURIComponent(FAKE_CONSUMER_KEY)}&client_secret=${FAKE_CONSUMER_SECRET}`,
		);
	});

	it("hands a rotated refresh token back and uses it for the next grant", async ({ expect }) => {
		const fake = new FakeSalesforce();
		fake.rotateRefreshTokens = true;
		const { rotated, deps, credentials } = setup(fake);

		const first = await refreshSession(deps, credentials);
		const second = await refreshSession(deps, credentials);

		expect(first.ok && second.ok).toBe(true);
		expect(rotated).toEqual([`${FAKE_REFRESH_TOKEN}.rotated.1`, `${FAKE_REFRESH_TOKEN}.rotated.2`]);
	});

	it("retries a grant with the stored refresh token when a concurrent sender rotated it", async ({
		expect,
	}) => {
		const fake = new FakeSalesforce();
		fake.rotateRefreshTokens = true;
		const other = setup(fake);
		await refreshSession(other.deps, other.credentials);
		const stale = setup(fake);
		const current = other.credentials.refreshToken;

		const result = await refreshSession(
			{ ...stale.deps, storedRefreshToken: async () => current },
			stale.credentials,
		);

		expect(result.ok).toBe(true);
		expect(fake.tokenCalls().map((c) => new URLSearchParams(c.body).get("refresh_token"))).toEqual([
			FAKE_REFRESH_TOKEN,
			FAKE_REFRESH_TOKEN,
			current,
		]);
		expect(stale.rotated).toEqual([`${FAKE_REFRESH_TOKEN}.rotated.2`]);
	});

	it("makes invalid_grant a needs-re-authorisation problem", async ({ expect }) => {
		const fake = new FakeSalesforce();
		fake.revokeRefreshTokens();
		const { forwarder } = setup(fake);

		expect(await forwarder.send(records(1))).toMatchObject({
			kind: "connection",
			problem: "needs_reauth",
			code: "invalid_grant",
			httpStatus: 400,
		});
		expect(fake.dataCalls()).toEqual([]);
	});
});
