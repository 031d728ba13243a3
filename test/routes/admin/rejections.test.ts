// GET /api/admin/rejections: refusal counters newest hour first, filtered by time and provider.
import { env } from "cloudflare:workers";
import { describe, it } from "vitest";
import { call, type ErrorEnvelope } from "../../support/admin-api";

interface RejectionsJson {
	since: string;
	total: number;
	data: { hour: string; provider: string; reason: string; count: number; last_at: string }[];
}

describe("admin rejections", () => {
	it("lists counters of the hours since `since` (24 h by default), newest first, by provider", async ({
		expect,
	}) => {
		const hour = (hoursAgo: number) =>
			`${new Date(Date.now() - hoursAgo * 3_600_000).toISOString().slice(0, 13)}:00:00Z`;
		const insert = env.DB.prepare(
			"INSERT INTO rejection_counts (hour, provider, reason, count, last_at) VALUES (?, ?, ?, ?, ?)",
		);
		await env.DB.batch([
			insert.bind(hour(1), "tiktok", "invalid signature", 40, hour(1)),
			insert.bind(hour(1), "meta", "missing signature", 2, hour(1)),
			insert.bind(hour(3), "webform", "invalid url signature", 7, hour(3)),
			insert.bind(hour(30), "tiktok", "invalid signature", 900, hour(30)),
		]);

		const recent = await call<RejectionsJson>("/rejections");
		const tiktok = await call<RejectionsJson>(
			`/rejections?provider=tiktok&since=${encodeURIComponent(hour(48))}`,
		);
		const bad = await call<ErrorEnvelope>("/rejections?since=yesterday");

		expect(recent.status).toBe(200);
		expect(recent.body.total).toBe(49);
		expect(recent.body.data.map((r) => [r.hour, r.provider, r.count])).toEqual([
			[hour(1), "meta", 2],
			[hour(1), "tiktok", 40],
			[hour(3), "webform", 7],
		]);
		expect(tiktok.body.data.map((r) => r.count)).toEqual([40, 900]);
		expect(bad.status).toBe(400);
	});
});
