// The operator's notification actions, shared by the operator API and the console: add a channel
// (URL guard, secrets sealed, a webhook secret made when none is given), switch one off, set a
// company's speed-to-lead rules, and send a test notification through a channel now.
import { HTTPException } from "hono/http-exception";
import { notFound, orNotFound, unknownCompany } from "../errors";
import type { ChannelBody, SlaSettingsBody } from "../http/schemas/notifications";
import { notifyDeps, sendNotificationsOf } from "../notifiers/deliver";
import { checkOutboundUrl } from "../security/outbound-url";
import { secretBox } from "../security/secret-box";
import { isWebhookSecret, newWebhookSecret } from "../security/standard-webhooks";
import {
	addChannel,
	type ChannelRow,
	deactivateChannel,
	listChannels,
	queueTestNotification,
	type SlaSettings,
	writeSlaSettings,
} from "../storage/notification-channels";
import type { OperatorContext } from "./context";

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export interface AddedChannel {
	channel: ChannelRow;
	/** A webhook channel's signing secret, shown once (it is stored sealed). */
	secret?: string;
}

export async function addNotificationChannel(
	ctx: OperatorContext,
	companyId: number,
	body: ChannelBody,
): Promise<AddedChannel> {
	const box = secretBox(ctx.config.encryptionKey);
	const prepared = await prepareChannel(ctx, body, (plain) => box.seal(plain));
	const id = await addChannel(ctx.db, {
		companyId,
		employeeId: body.employee_id ?? null,
		kind: body.kind,
		target: prepared.target,
		secretSealed: prepared.sealed,
	});
	if (id === undefined) throw unknownCompany(companyId);
	const channel = orNotFound(
		(await listChannels(ctx.db, companyId)).find((row) => row.id === id),
		"notification channel",
		id,
	);
	return { channel, ...(prepared.secret ? { secret: prepared.secret } : {}) };
}

async function prepareChannel(
	ctx: OperatorContext,
	body: ChannelBody,
	seal: (plain: string) => Promise<string>,
): Promise<{ target: string; sealed: string | null; secret?: string }> {
	if (body.kind === "email") {
		if (!EMAIL.test(body.target)) throw invalid("target must be an email address");
		return { target: body.target.toLowerCase(), sealed: null };
	}
	const url = checkOutboundUrl(body.target, {
		allowLoopbackHttp: ctx.config.salesforce.allowLoopbackHttp,
	});
	if (!url.ok) throw invalid(`target ${url.reason}`);
	if (body.kind === "slack") {
		// The URL is the Slack credential: stored sealed, shown by its host and last characters only.
		return {
			target: `${url.url.host}/…${url.url.href.slice(-4)}`,
			sealed: await seal(url.url.href),
		};
	}
	const secret = body.secret ?? newWebhookSecret();
	if (!isWebhookSecret(secret)) throw invalid("secret must be whsec_ and base64 of 24+ bytes");
	return { target: url.url.href, sealed: await seal(secret), secret };
}

function invalid(message: string): HTTPException {
	return new HTTPException(400, { message });
}

export async function removeNotificationChannel(ctx: OperatorContext, id: number): Promise<void> {
	if (!(await deactivateChannel(ctx.db, id))) throw notFound("notification channel", id);
}

/** Sets the company's rules; values left out take the NOTIFY_* defaults. */
export async function setSlaSettings(
	ctx: OperatorContext,
	companyId: number,
	body: SlaSettingsBody,
): Promise<SlaSettings> {
	const defaults = ctx.config.notify.defaults;
	const settings: SlaSettings = {
		slaMinutes: body.sla_minutes ?? defaults.slaMinutes,
		escalateAfter: body.escalate_after ?? defaults.escalateAfter,
		reminderHours: body.reminder_hours ?? defaults.reminderHours,
	};
	if (!(await writeSlaSettings(ctx.db, companyId, settings, new Date()))) {
		throw unknownCompany(companyId);
	}
	return settings;
}

/** Queues a test notification on the channel and sends it now; answers its id and whether it went. */
export async function sendTestNotification(
	ctx: OperatorContext,
	channelId: number,
): Promise<{ notificationId: number; sent: boolean }> {
	const id = orNotFound(
		await queueTestNotification(ctx.db, channelId),
		"notification channel",
		channelId,
	);
	const sent = await sendNotificationsOf(notifyDeps(ctx.env, ctx.config, ctx.log), { ids: [id] });
	return { notificationId: id, sent: sent === 1 };
}
