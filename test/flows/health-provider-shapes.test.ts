// Health against fakes that answer with the providers' real shapes (providers.md, "Answers the health
// checks and backfill read"): a run with nothing set up says "nothing to check"; TikTok's subscription
// list is read to its end, 1000 a page, and matched on advertiser_id or library_id; debug_token's
// problems inside `data` on an HTTP 200 (code 190/463, 460), leads_retrieval granted for other Pages
// only, a data-access window about to end; subscribed_apps without a subscribed_fields key.
import { describe, it } from "vitest";
import { seedAccount, seedCompany } from "../support/factories";
import {
	debugTokenReply,
	expiresIn,
	FakeTikTokSubscriptions,
	subscribedAppsReply,
	TOKEN_ERRORS,
} from "../support/fake-health";
import { ALERTS_ON, checkRows, fakeWorld, scannedAlertBodies } from "../support/health";
import { seedPage } from "../support/meta";
import { admin, fetchWithEnv } from "../support/requests";
import { TEST_ADMIN_TOKEN } from "../support/secrets";

const TIKTOK_APP: Partial<Env> = {
	...ALERTS_ON,
	TIKTOK_APP_ID: "7100000000000000001",
} as Partial<Env>;
const TOKENS = {
	tiktok: "act.tiktokAdvertiserTokenForShapes00000000",
	expired: "EAAGexpiredPageTokenForShapes000000000000",
	password: "EAAGpasswordChangedTokenForShapes00000000",
	otherPage: "EAAGotherPageGrantTokenForShapes000000000",
	noFields: "EAAGnoFieldsPageTokenForShapes00000000000",
	dataAccess: "EAAGdataAccessEndingTokenForShapes0000000",
};
const sentBodies = scannedAlertBodies(Object.values(TOKENS));

async function runChecks(overrides: Partial<Env> = ALERTS_ON) {
	const response = await fetchWithEnv(overrides, "/api/admin/health/run", {
		method: "POST",
		headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
	});
	return {
		status: response.status,
		body: await response.json<{ result: string; checks: number; ok: number }>(),
	};
}

async function tiktokAccount(companyId: number, externalId: string): Promise<number> {
	const accountId = await seedAccount(companyId, externalId, "tiktok");
	const set = await admin(`/integration-accounts/${accountId}/access-token`, {
		method: "PUT",
		body: { access_token: TOKENS.tiktok },
	});
	if (set.status !== 200) throw new Error(`token not set: ${set.status}`);
	return accountId;
}

/** `count` other advertisers' subscriptions, 19-digit ids like TikTok's. */
function otherAdvertisers(count: number, from: number) {
	return Array.from({ length: count }, (_, i) => ({
		advertiserId: String(7300000000000000000n + BigInt(from + i)),
	}));
}

describe("a health run with nothing set up", () => {
	// First in this file: its D1 holds no account, connection or install yet.
	it("answers result nothing_to_check with 0 checks, not a success, on the run and on GET", async ({
		expect,
	}) => {
		fakeWorld(() => undefined);
		expect(await (await admin("/health")).json()).toEqual({
			last_run_at: null,
			result: null,
			data: [],
		});
		const run = await runChecks();
		expect(run.status).toBe(200);
		expect(run.body).toMatchObject({ result: "nothing_to_check", checks: 0, ok: 0 });
		expect(await (await admin("/health")).json()).toMatchObject({
			last_run_at: expect.any(String),
			result: "nothing_to_check",
			data: [],
		});
	});
});

describe("TikTok subscription/get read as TikTok pages it", () => {
	it("pages 1000 at a time to the end, matching advertiser_id or library_id", async ({
		expect,
	}) => {
		const companyId = await seedCompany({ name: "TikTok Pages Co" });
		const late = "7398120456712341201";
		const library = "7398120456712345555";
		const missing = "7398120456712346666";
		await tiktokAccount(companyId, late);
		await tiktokAccount(companyId, library);
		await tiktokAccount(companyId, missing);
		// 1,500 subscriptions: the advertiser's own is the 1,201st, past TikTok's default page of 10
		// and past the first page of 1000; the library subscription is the 6th.
		const subscriptions = [
			...otherAdvertisers(5, 0),
			{ libraryId: library },
			...otherAdvertisers(1194, 5),
			{ advertiserId: late },
			...otherAdvertisers(299, 1199),
		];
		const tiktok = new FakeTikTokSubscriptions(subscriptions);
		const { sink } = fakeWorld(() => undefined, { tiktok: (request) => tiktok.handle(request) });

		const run = await runChecks(TIKTOK_APP);

		expect(run.body).toMatchObject({ result: "failing", checks: 3, ok: 2 });
		// GET filtered to the ok checks still gives the run's verdict over all of them.
		expect(await (await admin("/health?status=ok")).json()).toMatchObject({
			result: "failing",
			data: [expect.objectContaining({ status: "ok" }), expect.objectContaining({ status: "ok" })],
		});
		expect(await checkRows("tiktok_subscription")).toEqual([
			expect.objectContaining({
				check_key: `tiktok_subscription:${late}`,
				status: "ok",
				reason: `a LEAD subscription exists for advertiser ${late}`,
			}),
			expect.objectContaining({
				check_key: `tiktok_subscription:${library}`,
				status: "ok",
			}),
			expect.objectContaining({
				check_key: `tiktok_subscription:${missing}`,
				status: "failing",
				reason: `no LEAD subscription for advertiser ${missing} (2 pages of subscriptions read): leads will not arrive (was the advertiser's token revoked?)`,
			}),
		]);
		const asked = tiktok.calls.map((call) => {
			const query = new URL(call.url).searchParams;
			return `${query.get("page")}/${query.get("page_size")}`;
		});
		// late: pages 1 and 2; library: page 1; missing: pages 1 and 2.
		expect(asked.sort()).toEqual(["1/1000", "1/1000", "1/1000", "2/1000", "2/1000"]);
		sentBodies.push(...sink.bodies);
	});
});

describe("Meta debug_token and subscribed_apps as Graph answers them", () => {
	it("fails a token Graph reports invalid inside data, one granted for other Pages, an app with no fields; warns as data access ends", async ({
		expect,
	}) => {
		const now = new Date();
		const companyId = await seedCompany({ name: "Graph Shapes Co" });
		const pages = {
			expired: "119876543210001",
			password: "119876543210002",
			otherPage: "119876543210003",
			noFields: "119876543210004",
			dataAccess: "119876543210005",
		};
		for (const [name, pageId] of Object.entries(pages)) {
			await seedPage(companyId, pageId, TOKENS[name as keyof typeof pages]);
		}
		const pageOf = (token: string | null) =>
			Object.entries(pages).find(([name]) => TOKENS[name as keyof typeof pages] === token)?.[1] ??
			"";
		const { sink } = fakeWorld((call) => {
			if (call.path === "/v25.0/debug_token") {
				const token = call.url.searchParams.get("input_token");
				const pageId = pageOf(token);
				if (token === TOKENS.expired) {
					return debugTokenReply(pageId, {
						expiresAt: expiresIn(now, -1),
						error: TOKEN_ERRORS.expired,
					});
				}
				if (token === TOKENS.password) {
					return debugTokenReply(pageId, { error: TOKEN_ERRORS.passwordChanged });
				}
				if (token === TOKENS.otherPage) {
					return debugTokenReply(pageId, { leadsRetrievalPages: ["119876543219999"] });
				}
				if (token === TOKENS.dataAccess) {
					return debugTokenReply(pageId, { dataAccessExpiresAt: expiresIn(now, 5) });
				}
				return debugTokenReply(pageId);
			}
			if (call.path.endsWith("/subscribed_apps")) {
				return subscribedAppsReply(call.path.includes(pages.noFields) ? "no key" : ["leadgen"]);
			}
			return undefined;
		});

		await runChecks();

		const day = (offsetDays: number) =>
			new Date(now.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
		const token = Object.fromEntries(
			(await checkRows("meta_token")).map((row) => [row.check_key.split(":")[1], row]),
		);
		expect(token[pages.expired]).toMatchObject({
			status: "failing",
			reason: "the Page token has expired (code 190/463): it must be renewed",
		});
		expect(token[pages.password]).toMatchObject({
			status: "failing",
			reason:
				"the Page token was invalidated when the Page admin changed their password (code 190/460): it must be renewed",
		});
		expect(token[pages.otherPage]).toMatchObject({
			status: "failing",
			reason: `the Page token holds leads_retrieval only for Page 119876543219999, not for Page ${pages.otherPage}: leads cannot be read; grant it for this Page`,
		});
		expect(token[pages.dataAccess]).toMatchObject({
			status: "warning",
			reason: `the app's data access for this token ends on ${day(5)} (in 5 days): a Page admin must log in to the app again`,
		});
		expect(token[pages.noFields]).toMatchObject({
			status: "ok",
			reason: "token valid, never expires, has leads_retrieval",
		});
		const subscription = Object.fromEntries(
			(await checkRows("meta_subscription")).map((row) => [row.check_key.split(":")[1], row]),
		);
		expect(subscription[pages.noFields]).toMatchObject({
			status: "failing",
			reason:
				"the app is installed on the Page but subscribed to no field: leads will not arrive (POST /{page-id}/subscribed_apps?subscribed_fields=leadgen)",
		});
		expect(subscription[pages.expired]).toMatchObject({ status: "ok" });
		sentBodies.push(...sink.bodies);
	});
});
