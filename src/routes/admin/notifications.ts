// /api/admin — notification channels and speed-to-lead rules: a company's channels and rules
// (GET/POST /companies/:id/notification-channels, PUT /companies/:id/notification-settings),
// switching a channel off (DELETE /notification-channels/:id) and a test send (POST …/:id/test).
import { Hono } from "hono";
import type { AppEnv } from "../../http/app-env";
import { channelBody, slaSettingsBody } from "../../http/schemas/notifications";
import { idParam, validate } from "../../http/validate";
import { operatorContext } from "../../operator/context";
import {
	addNotificationChannel,
	removeNotificationChannel,
	sendTestNotification,
	setSlaSettings,
} from "../../operator/notifications";
import {
	type ChannelRow,
	listChannels,
	readSlaSettings,
	type SlaSettings,
} from "../../storage/notification-channels";
import type { NotificationView } from "../../storage/notifications";

export function channelJson(channel: ChannelRow) {
	return {
		id: channel.id,
		company_id: channel.companyId,
		employee_id: channel.employeeId,
		employee_name: channel.employeeName,
		kind: channel.kind,
		target: channel.target,
		is_active: channel.isActive,
		created_at: channel.createdAt,
	};
}

function settingsJson(settings: SlaSettings | undefined) {
	return settings
		? {
				sla_minutes: settings.slaMinutes,
				escalate_after: settings.escalateAfter,
				reminder_hours: settings.reminderHours,
			}
		: null;
}

export function notificationJson(row: NotificationView) {
	return {
		id: row.id,
		kind: row.kind,
		round: row.round,
		channel_id: row.channelId,
		channel_kind: row.channelKind,
		employee_name: row.employeeName,
		status: row.status,
		attempts: row.attempts,
		next_attempt_at: row.nextAttemptAt,
		last_error_code: row.lastErrorCode,
		created_at: row.createdAt,
		updated_at: row.updatedAt,
	};
}

export const companyNotificationRoutes = new Hono<AppEnv>()
	.get("/notification-channels", validate("param", idParam), async (c) => {
		const { id } = c.req.valid("param");
		const [channels, settings] = await Promise.all([
			listChannels(c.var.db, id),
			readSlaSettings(c.var.db, id),
		]);
		return c.json({ channels: channels.map(channelJson), settings: settingsJson(settings) });
	})
	.post(
		"/notification-channels",
		validate("param", idParam),
		validate("json", channelBody),
		async (c) => {
			const { id } = c.req.valid("param");
			const added = await addNotificationChannel(operatorContext(c), id, c.req.valid("json"));
			return c.json({ ...channelJson(added.channel), secret: added.secret ?? null }, 201);
		},
	)
	.put(
		"/notification-settings",
		validate("param", idParam),
		validate("json", slaSettingsBody),
		async (c) => {
			const { id } = c.req.valid("param");
			const settings = await setSlaSettings(operatorContext(c), id, c.req.valid("json"));
			return c.json(settingsJson(settings));
		},
	);

export const notificationChannelRoutes = new Hono<AppEnv>()
	.delete("/:id", validate("param", idParam), async (c) => {
		await removeNotificationChannel(operatorContext(c), c.req.valid("param").id);
		return c.body(null, 204);
	})
	.post("/:id/test", validate("param", idParam), async (c) => {
		const result = await sendTestNotification(operatorContext(c), c.req.valid("param").id);
		return c.json({ notification_id: result.notificationId, sent: result.sent });
	});
