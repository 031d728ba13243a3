// Health and alert test helpers: the cron run with alerts on (and the Meta app id set), the rows an
// operator reads back, and one fake world (Graph + Salesforce + TikTok + the alert webhook).
import { env } from "cloudflare:workers";
import { afterAll } from "vitest";
import { fakeGraph, type GraphCall, type GraphReply } from "./fake-graph";
import { ALERT_URL, AlertSink, APP_ID, personalDataIn, routeHosts } from "./fake-health";
import { FAKE_INSTANCE_URL, type FakeSalesforce } from "./fake-salesforce";
import { runCron } from "./meta";

/** Bindings that switch the hourly health checks and alerts on for a run. */
export const ALERTS_ON: Partial<Env> = {
	HEALTH_CHECK_INTERVAL_MINUTES: "60",
	ALERT_WEBHOOK_URL: ALERT_URL,
	META_APP_ID: APP_ID,
} as Partial<Env>;

export function runMonitoredCron(at: Date, overrides: Partial<Env> = {}): Promise<void> {
	return runCron(at, { ...ALERTS_ON, ...overrides });
}

export interface World {
	sink: AlertSink;
	graph: ReturnType<typeof fakeGraph>;
}

/** Graph answered by `graph`; Salesforce (when given), TikTok (when given) and the alert sink. */
export function fakeWorld(
	graph: (call: GraphCall) => GraphReply | undefined,
	options: {
		salesforce?: FakeSalesforce;
		tiktok?: (request: Request) => Promise<Response> | Response;
	} = {},
): World {
	const sink = new AlertSink();
	const routes: Record<string, (request: Request) => Promise<Response> | Response> = {
		"hooks.slack.com": (request) => sink.handle(request),
	};
	const { salesforce, tiktok } = options;
	if (salesforce) {
		routes["login.salesforce.com"] = (request) => salesforce.handle(request);
		routes[new URL(FAKE_INSTANCE_URL).host] = (request) => salesforce.handle(request);
	}
	if (tiktok) routes["business-api.tiktok.com"] = tiktok;
	return { sink, graph: fakeGraph(graph, routeHosts(routes)) };
}

export interface CheckView {
	check_key: string;
	status: string;
	reason: string;
	changed_at: string;
	link: string;
}

export async function checkRows(kind?: string): Promise<CheckView[]> {
	const query = kind
		? env.DB.prepare(
				"SELECT check_key, status, reason, changed_at, link FROM health_checks WHERE kind = ? ORDER BY check_key",
			).bind(kind)
		: env.DB.prepare(
				"SELECT check_key, status, reason, changed_at, link FROM health_checks ORDER BY check_key",
			);
	return (await query.all<CheckView>()).results;
}

export interface AlertView {
	id: number;
	problem_key: string;
	status: string;
	text: string;
	sent_at: string | null;
	attempts: number;
	last_error: string | null;
}

export async function alertRows(): Promise<AlertView[]> {
	return (
		await env.DB.prepare(
			"SELECT id, problem_key, status, text, sent_at, attempts, last_error FROM alerts ORDER BY id",
		).all<AlertView>()
	).results;
}

export function hoursAfter(start: Date, hours: number): Date {
	return new Date(start.getTime() + hours * 3_600_000);
}

/**
 * The bodies a test file's alert sinks received, scanned after the file's last test: none may hold a
 * phone, an email, one of `secrets` or a lead payload. Push every sink's bodies into the array.
 */
export function scannedAlertBodies(secrets: string[]): string[] {
	const bodies: string[] = [];
	afterAll(() => {
		for (const body of bodies) {
			const found = personalDataIn(body, secrets);
			if (found.length > 0) throw new Error(`an alert body holds ${found.join(", ")}`);
		}
	});
	return bodies;
}
