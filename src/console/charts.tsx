// Bar charts drawn on the server as inline SVG (no script, nothing fetched; the CSP allows neither):
// the bars' geometry is computed here from the numbers, and every chart names itself (<title>,
// <desc>) and each bar, so a screen reader reads what the picture shows.
import type { FC } from "hono/jsx";

/** The drawing's own units; CSS scales it to the card's width (styles in assets.ts, .chart). */
export const CHART = { width: 360, height: 180, left: 48, right: 18, top: 10, bottom: 26 } as const;
const PLOT_HEIGHT = CHART.height - CHART.top - CHART.bottom;
const PLOT_WIDTH = CHART.width - CHART.left - CHART.right;
/** At most this many day labels under the bars (every nth day, the last one always): at 375 px
 * wide, thirty labels would overlap. */
const MAX_LABELS = 7;

/** One set of bars, one value per label (null: nothing to draw), e.g. the p90 per day. */
export interface ChartSeries {
	name: string;
	/** The CSS class of its bars and legend swatch (assets.ts: bar-primary, bar-secondary). */
	className: string;
	values: (number | null)[];
}

export interface BarRect {
	x: number;
	y: number;
	width: number;
	height: number;
}

/** The smallest of 1, 2 and 5 × 10ⁿ at or above `max` (1 for nothing to show): the axis top. */
export function countCeiling(max: number): number {
	if (!(max > 0)) return 1;
	const power = 10 ** Math.floor(Math.log10(max));
	const step = [1, 2, 5, 10].find((factor) => factor * power >= max) ?? 10;
	return step * power;
}

/** Times an operator reads at a glance, in seconds: 30 s … 12 h, then whole days. */
const DURATION_TOPS = [30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 14_400, 28_800, 43_200];

/** The smallest round time at or above `max` seconds: the axis top of a time chart. */
export function durationCeiling(max: number): number {
	const top = DURATION_TOPS.find((seconds) => seconds >= max);
	return top ?? Math.ceil(max / 86_400) * 86_400;
}

const tenth = (value: number) => Math.round(value * 10) / 10;

/**
 * Where each value's bar goes: slot i of `values.length` across the plot, its height `value / top`
 * of the plot's, standing on the baseline; null where there is no value.
 */
export function barRects(values: (number | null)[], top: number): (BarRect | null)[] {
	const slot = PLOT_WIDTH / Math.max(1, values.length);
	const baseline = CHART.top + PLOT_HEIGHT;
	return values.map((value, i) => {
		if (value === null) return null;
		const height = tenth((Math.min(value, top) / top) * PLOT_HEIGHT);
		return {
			x: tenth(CHART.left + i * slot + slot * 0.15),
			y: tenth(baseline - height),
			width: tenth(slot * 0.7),
			height,
		};
	});
}

/** Indexes of the labels to print: every nth, so at most MAX_LABELS, and always the last. */
function labelled(count: number): Set<number> {
	const step = Math.ceil(count / MAX_LABELS);
	const shown = new Set<number>();
	for (let i = count - 1; i >= 0; i -= step) shown.add(i);
	return shown;
}

export interface BarChartProps {
	/** Unique on the page: names the <title> and <desc> the SVG is labelled by. */
	id: string;
	title: string;
	/** One sentence of what the chart shows (its <desc>), e.g. the busiest day. */
	summary: string;
	labels: string[];
	/** Drawn in order at the same place: put the taller series (p90) before the shorter (median). */
	series: ChartSeries[];
	top: number;
	format: (value: number) => string;
}

export const BarChart: FC<BarChartProps> = ({
	id,
	title,
	summary,
	labels,
	series,
	top,
	format,
}) => {
	const baseline = CHART.top + PLOT_HEIGHT;
	const shown = labelled(labels.length);
	const slot = PLOT_WIDTH / Math.max(1, labels.length);
	return (
		<figure class="chart">
			<figcaption>
				<span class="chart-title">{title}</span>
				{series.map((one) => (
					<span class="legend">
						<svg viewBox="0 0 10 10" aria-hidden="true" class="swatch">
							<rect class={one.className} width="10" height="10" />
						</svg>
						{one.name}
					</span>
				))}
			</figcaption>
			<svg
				viewBox={`0 0 ${CHART.width} ${CHART.height}`}
				role="img"
				aria-labelledby={`${id}-title ${id}-desc`}
			>
				<title id={`${id}-title`}>{title}</title>
				<desc id={`${id}-desc`}>{summary}</desc>
				<line
					class="axis"
					x1={CHART.left}
					x2={CHART.width - CHART.right}
					y1={CHART.top}
					y2={CHART.top}
				/>
				<line
					class="axis"
					x1={CHART.left}
					x2={CHART.width - CHART.right}
					y1={baseline}
					y2={baseline}
				/>
				<text class="tick" x={CHART.left - 4} y={CHART.top + 4} text-anchor="end">
					{format(top)}
				</text>
				<text class="tick" x={CHART.left - 4} y={baseline} text-anchor="end">
					{format(0)}
				</text>
				{series.map((one) =>
					barRects(one.values, top).map((rect, i) =>
						rect === null ? null : (
							<rect class={`bar ${one.className}`} {...rect}>
								<title>{`${labels[i] ?? ""}: ${one.name} ${format(one.values[i] ?? 0)}`}</title>
							</rect>
						),
					),
				)}
				{labels.map((label, i) =>
					shown.has(i) ? (
						<text
							class="tick"
							x={tenth(CHART.left + (i + 0.5) * slot)}
							y={CHART.height - 8}
							text-anchor="middle"
						>
							{label}
						</text>
					) : null,
				)}
			</svg>
		</figure>
	);
};
