// The console's SVG bar charts: bars as tall as their share of the axis top, none for a missing
// value, every bar and the chart named for screen readers, and at most eight day labels.
import { describe, it } from "vitest";
import {
	BarChart,
	type BarChartProps,
	barRects,
	CHART,
	countCeiling,
	durationCeiling,
} from "../../src/console/charts";
import { durationLabel } from "../../src/console/labels";

const PLOT_HEIGHT = CHART.height - CHART.top - CHART.bottom;
const BASELINE = CHART.top + PLOT_HEIGHT;

/** A bar `height` tall on the baseline (coordinates to a tenth, as drawn). */
const standing = (height: number) => ({ height, y: Math.round((BASELINE - height) * 10) / 10 });

async function render(props: BarChartProps): Promise<string> {
	return String(await BarChart(props));
}

/** Every drawn bar's class and height, in document order. */
function bars(svg: string): { className: string; height: number; y: number }[] {
	return [
		...svg.matchAll(/<rect class="bar ([\w-]+)"[^>]*?y="([\d.]+)"[^>]*?height="([\d.]+)"/g),
	].map(([, className = "", y = "", height = ""]) => ({
		className,
		y: Number(y),
		height: Number(height),
	}));
}

describe("bar charts", () => {
	it("draw each bar as its share of the axis top, standing on the baseline", async ({ expect }) => {
		const svg = await render({
			id: "leads",
			title: "Leads per day",
			summary: "7 leads in all.",
			labels: ["1 Dec", "2 Dec", "3 Dec", "4 Dec"],
			series: [{ name: "Leads", className: "bar-primary", values: [2, 4, 0, 1] }],
			top: countCeiling(4),
			format: String,
		});

		// Axis top 5: 2/5, 4/5, 0 and 1/5 of the plot's 144 units.
		expect(PLOT_HEIGHT).toBe(144);
		expect(bars(svg)).toEqual([
			{ className: "bar-primary", ...standing(57.6) },
			{ className: "bar-primary", ...standing(115.2) },
			{ className: "bar-primary", ...standing(0) },
			{ className: "bar-primary", ...standing(28.8) },
		]);
		expect(svg).toContain('role="img" aria-labelledby="leads-title leads-desc"');
		expect(svg).toContain('<title id="leads-title">Leads per day</title>');
		expect(svg).toContain('<desc id="leads-desc">7 leads in all.</desc>');
		expect(svg).toContain("<title>2 Dec: Leads 4</title>");
	});

	it("draw no bar for a day without a value, and the taller series first", async ({ expect }) => {
		const svg = await render({
			id: "times",
			title: "First response",
			summary: "Median 1 min.",
			labels: ["1 Dec", "2 Dec", "3 Dec"],
			series: [
				{ name: "90th percentile", className: "bar-secondary", values: [600, null, 120] },
				{ name: "Median", className: "bar-primary", values: [300, null, 60] },
			],
			top: 900, // 15 min
			format: durationLabel,
		});

		expect(bars(svg)).toEqual([
			{ className: "bar-secondary", ...standing(96) },
			{ className: "bar-secondary", ...standing(19.2) },
			{ className: "bar-primary", ...standing(48) },
			{ className: "bar-primary", ...standing(9.6) },
		]);
		expect(svg).toContain("<title>1 Dec: Median 5 min</title>");
		expect(svg).toContain(">15 min</text>"); // the axis top
	});

	it("label at most seven of thirty days, the last one always", async ({ expect }) => {
		const labels = Array.from({ length: 30 }, (_, i) => `day ${i + 1}`);
		const svg = await render({
			id: "month",
			title: "Leads per day",
			summary: "",
			labels,
			series: [{ name: "Leads", className: "bar-primary", values: labels.map(() => 1) }],
			top: 1,
			format: String,
		});

		const shown = [...svg.matchAll(/>(day \d+)<\/text>/g)].map(([, label]) => label);
		expect(shown.length).toBeLessThanOrEqual(7);
		expect(shown.at(-1)).toBe("day 30");
		expect(bars(svg)).toHaveLength(30);
	});

	it("place bars side by side within the plot", ({ expect }) => {
		const rects = barRects([1, 1], 1);
		expect(rects.map((rect) => rect?.height)).toEqual([PLOT_HEIGHT, PLOT_HEIGHT]);
		const [first, second] = rects;
		expect(first && second && first.x + first.width < second.x).toBe(true);
		expect(second && second.x + second.width <= CHART.width - CHART.right).toBe(true);
	});
});

describe("axis tops and durations", () => {
	it("round counts up to 1, 2 or 5 × 10ⁿ and times up to a round time", ({ expect }) => {
		expect([0, 1, 4, 10, 11, 230].map(countCeiling)).toEqual([1, 1, 5, 10, 20, 500]);
		expect([0, 45, 61, 3_000, 50_000, 90_000].map(durationCeiling)).toEqual([
			30, 60, 120, 3_600, 86_400, 172_800,
		]);
	});

	it("say a first-response time in its two largest units", ({ expect }) => {
		expect([0.4, 45, 200, 3_600, 7_500, 277_200].map(durationLabel)).toEqual([
			"0 s",
			"45 s",
			"3 min 20 s",
			"1 h",
			"2 h 5 min",
			"3 d 5 h",
		]);
	});
});
