// Company routing as a pure function of the rules and the facts storage loaded.
import { describe, it } from "vitest";
import { candidateCompanyIds, type RoutingRules, routeLead } from "../../src/leads/routing";
import type { RoutingFacts } from "../../src/storage/routing";

const company = (id: number, defaultAccountId: number | null = null) => ({
	id,
	defaultCountry: null,
	autoAssign: false,
	defaultAccountId,
	hasDestination: false,
});

const facts: Pick<RoutingFacts, "accountsByExternalId" | "companiesById"> = {
	accountsByExternalId: new Map([["adv-1", { id: 50, companyId: 2, externalId: "adv-1" }]]),
	companiesById: new Map([
		[1, company(1, 10)],
		[2, company(2)],
		[3, company(3)],
	]),
};

const rules = (overrides: Partial<RoutingRules> = {}): RoutingRules => ({
	queryCompanyId: undefined,
	envMapping: {},
	envCompanyId: undefined,
	keyLabel: "TikTok advertiser",
	...overrides,
});

describe("routeLead", () => {
	it("uses the D1 mapping's account and company", ({ expect }) => {
		expect(routeLead("adv-1", rules({ envCompanyId: 1 }), facts)).toMatchObject({
			ok: true,
			company: { id: 2 },
			accountId: 50,
		});
	});

	it("lets ?company_id win, keeping the mapped account only when it is that company's", ({
		expect,
	}) => {
		expect(routeLead("adv-1", rules({ queryCompanyId: 2 }), facts)).toMatchObject({
			accountId: 50,
		});
		expect(routeLead("adv-1", rules({ queryCompanyId: 1 }), facts)).toMatchObject({
			company: { id: 1 },
			accountId: 10,
		});
	});

	it("falls back to the env mapping, then the env company, with the default account", ({
		expect,
	}) => {
		const env = rules({ envMapping: { "adv-2": 3 }, envCompanyId: 1 });
		expect(routeLead("adv-2", env, facts)).toMatchObject({
			company: { id: 3 },
			accountId: undefined,
		});
		expect(routeLead("adv-9", env, facts)).toMatchObject({ company: { id: 1 }, accountId: 10 });
		expect(routeLead(undefined, env, facts)).toMatchObject({ company: { id: 1 } });
	});

	it("explains why a lead cannot be routed, naming the thing to fix", ({ expect }) => {
		expect(routeLead("adv-9", rules(), facts)).toEqual({
			ok: false,
			companyId: null,
			cause: "unmapped",
			routingKey: "adv-9",
			reason: "TikTok advertiser adv-9 is not mapped to a company",
		});
		expect(routeLead(undefined, rules(), facts)).toMatchObject({
			cause: "unmapped",
			routingKey: null,
			reason: "the lead names no TikTok advertiser and no company is set to receive it",
		});
		expect(routeLead("adv-9", rules({ envCompanyId: 7 }), facts)).toEqual({
			ok: false,
			companyId: null,
			cause: "unknown_company",
			routingKey: "adv-9",
			reason: "company 7 does not exist (named by the single-company setting)",
		});
		expect(routeLead("adv-9", rules({ queryCompanyId: 8 }), facts)).toMatchObject({
			reason: "company 8 does not exist (named by the webhook URL's company_id)",
		});
		expect(routeLead("adv-9", rules({ keyLabel: "Meta Page" }), facts)).toMatchObject({
			reason: "Meta Page adv-9 is not mapped to a company",
		});
	});
});

describe("candidateCompanyIds", () => {
	it("lists every company the rules can name, once", ({ expect }) => {
		expect(
			candidateCompanyIds(
				rules({ queryCompanyId: 1, envCompanyId: 1, envMapping: { a: 2, b: 2 } }),
			),
		).toEqual([1, 2]);
	});
});
