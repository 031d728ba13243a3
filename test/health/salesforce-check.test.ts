// Salesforce connection health from the grant and /limits answers (pure).
import { describe, it } from "vitest";
import { checkSalesforce } from "../../src/health/salesforce-check";
import apiDisabled from "../fixtures/salesforce/error_api_disabled_for_org.json";
import limitExceeded from "../fixtures/salesforce/error_request_limit_exceeded.json";

const limits = (max: number, remaining: number) => ({
	status: 200,
	body: { DailyApiRequests: { Max: max, Remaining: remaining } },
});

describe("checkSalesforce", () => {
	it("is ok with room left, warning under 10 %, failing at zero", ({ expect }) => {
		expect(checkSalesforce({ ok: true }, limits(15000, 9000))).toEqual({
			status: "ok",
			reason: "refresh works, API enabled, 9000 of 15000 daily API requests left",
		});
		expect(checkSalesforce({ ok: true }, limits(15000, 1500)).status).toBe("ok");
		expect(checkSalesforce({ ok: true }, limits(15000, 1499))).toEqual({
			status: "warning",
			reason: "1499 of 15000 daily API requests left (under 10 %)",
		});
		expect(checkSalesforce({ ok: true }, limits(15000, 0)).status).toBe("failing");
	});

	it("fails on a refused grant and on the documented error bodies, warns when unreachable", ({
		expect,
	}) => {
		expect(checkSalesforce({ ok: false, kind: "rejected", code: "invalid_grant" })).toEqual({
			status: "failing",
			reason:
				"the refresh token was refused (invalid_grant): re-authorise the connection and save the new token",
		});
		expect(checkSalesforce({ ok: false, kind: "unreachable", code: "TIMEOUT" }).status).toBe(
			"warning",
		);
		expect(checkSalesforce({ ok: true }, { status: 403, body: apiDisabled })).toMatchObject({
			status: "failing",
			reason: expect.stringContaining("API_DISABLED_FOR_ORG"),
		});
		expect(checkSalesforce({ ok: true }, { status: 403, body: limitExceeded })).toMatchObject({
			status: "failing",
			reason: expect.stringContaining("REQUEST_LIMIT_EXCEEDED"),
		});
		expect(checkSalesforce({ ok: true }, { status: 503, body: undefined }).status).toBe("warning");
		expect(checkSalesforce({ ok: true }, { status: 200, body: {} }).status).toBe("warning");
	});
});
