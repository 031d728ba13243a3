// Phone values to E.164 (manifest conventions.phone_e164), with the company's default country.
import { describe, it } from "vitest";
import { normalisePhones, toE164 } from "../../src/leads/phone";

describe("toE164", () => {
	const cases: [string, string | null | undefined, string | null][] = [
		["+971501234567", undefined, "+971501234567"],
		["971 55 987 6543", undefined, "+971559876543"],
		["12025550143", undefined, "+12025550143"],
		["+971 50 765 4321", undefined, "+971507654321"],
		["00971-50-123-4567", undefined, "+971501234567"],
		["(202) 555-0143", "US", "+12025550143"],
		["050 123 4567", "AE", "+971501234567"],
		["050 123 4567", "ae", "+971501234567"],
		["٠٥٠١٢٣٤٥٦٧", "AE", "+971501234567"],
		["۰۵۰۱۲۳۴۵۶۷", "AE", "+971501234567"],
		["971501234567", "US", "+971501234567"],
		["12345", undefined, null],
		["call me", undefined, null],
		["", undefined, null],
		["+1234567890123456", undefined, null],
	];
	for (const [raw, country, expected] of cases) {
		it(`${JSON.stringify(raw)} (${country ?? "no country"}) → ${expected}`, ({ expect }) => {
			expect(toE164(raw, country)).toBe(expected);
		});
	}

	it("keeps a plausible number libphonenumber cannot validate, as the manifest rule says", ({
		expect,
	}) => {
		expect(toE164("99912345678")).toBe("+99912345678");
	});
});

describe("normalisePhones", () => {
	it("keeps values that do not parse as typed and flagged, drops blanks and repeats, keeps order", ({
		expect,
	}) => {
		expect(
			normalisePhones(["+971501234567", " 12345 ", "", "00971501234567", "12345", "12025550143"]),
		).toEqual([
			{ number: "+971501234567", valid: true },
			{ number: "12345", valid: false },
			{ number: "+12025550143", valid: true },
		]);
	});

	it("cuts a value kept as typed to 100 characters", ({ expect }) => {
		const [phone] = normalisePhones([`call me ${"x".repeat(500)}`]);
		expect(phone).toEqual({ number: `call me ${"x".repeat(92)}`, valid: false });
	});
});
