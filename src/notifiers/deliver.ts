// Sends claimed notifications and settles them: a webhook's waitUntil sends the rows its receipt
// just wrote, the cron sends what is due (first tries waitUntil missed, and retries). Both claim
// first, as forwards do, so the two never send one notification at the same time. Tail lines carry
// ids and outcomes only: the lead's details go to the rep's channel and nowhere else.
import type { Config } from "../config";
import type { Logger } from "../log";
import { type ActionLink, actionLinkKey, signActionLink } from "../security/action-links";
import { type SecretBox, secretBox } from "../security/secret-box";
import { createDb, type Db } from "../storage/db";
import type { Claim } from "../storage/forwards";
import {
	type ClaimedNotification,
	claimDueNotifications,
	claimNotificationsOf,
	loadNotificationJobs,
	type NotificationJob,
	settleNotifications,
} from "../storage/notifications";
import type { Fetch } from "../timed-call";
import type { Notice, NoticeLead, NoticeLinks, Notifier, SendOutcome } from "./notifier";
import { unusable } from "./outcomes";
import { resendNotifier } from "./resend-email";
import { settleNotification } from "./settlement";
import { signedWebhookNotifier } from "./signed-webhook";
import { type SlaQueue, slaQueue, watchLeads } from "./sla-queue";
import { slackNotifier } from "./slack";

/** Longer than a send can take (one call of ≤ 10 s); a crashed sender's claim ends after it. */
const LEASE_SECONDS = 120;
/** Rows the cron sends per run. */
const CRON_BATCH = 50;
const DETAIL_KINDS = new Set(["new_lead", "reassigned_to", "reminder"]);
export const NOTIFY_ACTION = "notification";

export interface NotifyDeps {
	db: Db;
	config: Config;
	fetch: Fetch;
	log: Logger;
	/** The LEAD_SLA queue when bound: new leads' SLA checks are then sent to it, delayed. */
	queue?: SlaQueue;
}

export function notifyDeps(env: Env, config: Config, log: Logger): NotifyDeps {
	return {
		db: createDb(env.DB),
		config,
		fetch: (input, init) => fetch(input, init),
		log: log.with({ action: NOTIFY_ACTION }),
		queue: slaQueue(env),
	};
}

/** The due notifications of these clients (or these rows), now. */
export async function sendNotificationsOf(
	deps: NotifyDeps,
	of: { clientIds?: number[]; ids?: number[] },
	now = new Date(),
): Promise<number> {
	if ((of.clientIds ?? of.ids ?? []).length === 0) return 0;
	const claim = newClaim(now);
	return sendClaimed(deps, await claimNotificationsOf(deps.db, of, claim), claim);
}

/** The cron's run: every due notification, CRON_BATCH at a time, until none is due. */
export async function sendDueNotifications(deps: NotifyDeps, now: Date): Promise<void> {
	for (let round = 0; round < 5; round++) {
		const claim = newClaim(now);
		const claimed = await claimDueNotifications(deps.db, claim, CRON_BATCH);
		if (claimed.length === 0) return;
		await sendClaimed(deps, claimed, claim);
	}
}

/**
 * After the answer (waitUntil): the receipt's new leads are told to their reps now, and their SLA
 * watch goes to the LEAD_SLA queue when it is bound. Never throws: whatever this misses, the cron
 * sends from the notifications table and sweeps lead_sla.
 */
export function notifyInBackground(
	ctx: { waitUntil(promise: Promise<unknown>): void },
	deps: NotifyDeps,
	clientIds: number[],
): void {
	if (clientIds.length === 0) return;
	ctx.waitUntil(
		sendNotificationsOf(deps, { clientIds }).catch((error: unknown) =>
			deps.log.error("notifications not sent; the cron retries", { error: String(error) }),
		),
	);
	const { queue } = deps;
	if (queue) {
		ctx.waitUntil(
			watchLeads(queue, deps.db, clientIds, new Date()).catch((error: unknown) =>
				deps.log.warn("lead SLA not enqueued; the cron sweeps it", { error: String(error) }),
			),
		);
	}
}

async function sendClaimed(
	deps: NotifyDeps,
	claimed: ClaimedNotification[],
	claim: Claim,
): Promise<number> {
	if (claimed.length === 0) return 0;
	const jobs = new Map(
		(
			await loadNotificationJobs(
				deps.db,
				claimed.map((row) => row.id),
			)
		).map((job) => [job.id, job]),
	);
	const box = openBox(deps);
	const outcomes = await Promise.all(
		claimed.map(async (row) => {
			const job = jobs.get(row.id);
			const outcome = job && box ? await sendOne(deps, box, job) : unusable("not_configured");
			logOutcome(deps.log, row, outcome);
			return settleNotification(row, outcome, claim.now);
		}),
	);
	await settleNotifications(deps.db, claim.token, outcomes, claim.now);
	return outcomes.filter((settled) => settled.status === "succeeded").length;
}

async function sendOne(
	deps: NotifyDeps,
	box: SecretBox,
	job: NotificationJob,
): Promise<SendOutcome> {
	const notifier = await openNotifier(deps, box, job);
	if (!notifier) return unusable("secret_unreadable");
	return notifier.send(await noticeOf(deps, job));
}

async function openNotifier(
	deps: NotifyDeps,
	box: SecretBox,
	job: NotificationJob,
): Promise<Notifier | undefined> {
	const options = { allowLoopbackHttp: deps.config.salesforce.allowLoopbackHttp };
	const secret = job.secretSealed ? await box.open(job.secretSealed).catch(() => undefined) : null;
	switch (job.channelKind) {
		case "email":
			return resendNotifier(
				job.target,
				{ apiKey: deps.config.notify.resendApiKey, from: deps.config.notify.emailFrom },
				deps.fetch,
			);
		case "slack":
			return secret ? slackNotifier(secret, options, deps.fetch) : undefined;
		case "webhook":
			return secret
				? signedWebhookNotifier({ url: job.target, secret }, options, deps.fetch)
				: undefined;
	}
}

async function noticeOf(deps: NotifyDeps, job: NotificationJob): Promise<Notice> {
	const details = DETAIL_KINDS.has(job.kind) && job.employeeId !== null && job.clientId !== null;
	return {
		id: job.id,
		kind: job.kind,
		companyName: job.companyName,
		recipient: job.employeeName,
		lead: job.clientId === null ? null : details ? leadOf(job) : { clientId: job.clientId },
		assignee: job.assigneeName,
		reassignments: job.reassignments,
		links: await linksOf(deps.config, job, details),
	};
}

function leadOf(job: NotificationJob): NoticeLead {
	const attribution = parseRecord(job.attribution);
	return {
		clientId: job.clientId ?? 0,
		name: job.fullName,
		phone: job.phone,
		email: job.email,
		source: job.source,
		form: attribution.form_name ?? job.formId,
		campaign: attribution.campaign_name ?? attribution.campaign_id ?? null,
		answers: parseAnswers(job.answers),
		createdAt: job.createdAt,
	};
}

async function linksOf(
	config: Config,
	job: NotificationJob,
	actions: boolean,
): Promise<NoticeLinks> {
	const base = config.webhooks.publicBaseUrl;
	if (!base || job.clientId === null) return {};
	const open = `${base}/console/leads/${job.clientId}`;
	if (!actions || job.employeeId === null || !config.encryptionKey) return { open };
	const key = await actionLinkKey(config.encryptionKey);
	const link = (action: ActionLink["action"]) =>
		signActionLink(key, {
			action,
			clientId: job.clientId ?? 0,
			employeeId: job.employeeId ?? 0,
			round: job.round,
			expiresAt: Math.floor(Date.now() / 1000) + config.notify.linkHours * 3600,
		}).then((token) => `${base}/l/${token}`);
	return { contacted: await link("contacted"), notMine: await link("not_mine"), open };
}

function parseRecord(json: string | null): Record<string, string | undefined> {
	if (!json) return {};
	try {
		const value: unknown = JSON.parse(json);
		return value && typeof value === "object" ? (value as Record<string, string>) : {};
	} catch {
		return {};
	}
}

function parseAnswers(json: string | null): NoticeLead["answers"] {
	if (!json) return [];
	try {
		const value: unknown = JSON.parse(json);
		return Array.isArray(value) ? (value as NoticeLead["answers"]) : [];
	} catch {
		return [];
	}
}

function openBox(deps: NotifyDeps): SecretBox | undefined {
	try {
		return secretBox(deps.config.encryptionKey);
	} catch {
		deps.log.error("notifications need ENCRYPTION_KEY");
		return undefined;
	}
}

function newClaim(now: Date): Claim {
	return { token: crypto.randomUUID(), now, leaseSeconds: LEASE_SECONDS };
}

function logOutcome(log: Logger, row: ClaimedNotification, outcome: SendOutcome) {
	log.info("notification attempt", {
		notificationId: row.id,
		clientId: row.clientId ?? undefined,
		outcome: outcome.kind,
		reason: outcome.kind === "sent" ? undefined : outcome.code,
		status: outcome.httpStatus ?? undefined,
		durationMs: outcome.durationMs,
	});
}
