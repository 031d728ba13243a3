// Notification channels (a rep's or the company's manager channels) and a company's speed-to-lead
// rules: written by the operator (admin API, console), read by the lead page and the senders.
import { sql } from "drizzle-orm";
import { type Db, guarded, runBatch } from "./db";
import type { ChannelKind } from "./schema";

export interface ChannelRow {
	id: number;
	companyId: number;
	employeeId: number | null;
	employeeName: string | null;
	kind: ChannelKind;
	target: string;
	isActive: boolean;
	createdAt: string;
}

export interface NewChannel {
	companyId: number;
	employeeId: number | null;
	kind: ChannelKind;
	target: string;
	secretSealed: string | null;
}

/** The company's channels, its managers' first, then by rep. */
export async function listChannels(db: Db, companyId: number): Promise<ChannelRow[]> {
	const [rows = []] = await guarded(() =>
		runBatch(db, [
			sql`SELECT ch.id, ch.company_id AS companyId, ch.employee_id AS employeeId,
					e.name AS employeeName, ch.kind, ch.target, ch.is_active AS isActive,
					ch.created_at AS createdAt
				FROM notification_channels ch LEFT JOIN employees e ON e.id = ch.employee_id
				WHERE ch.company_id = ${companyId}
				ORDER BY ch.employee_id IS NOT NULL, ch.employee_id, ch.id`,
		]),
	);
	return (rows as (Omit<ChannelRow, "isActive"> & { isActive: number })[]).map((row) => ({
		...row,
		isActive: row.isActive === 1,
	}));
}

/** Adds a channel; undefined when the rep is not one of the company's. */
export async function addChannel(db: Db, channel: NewChannel): Promise<number | undefined> {
	const [rows = []] = await guarded(() =>
		runBatch(db, [
			sql`INSERT INTO notification_channels (company_id, employee_id, kind, target, secret_sealed)
				SELECT co.id, ${channel.employeeId}, ${channel.kind}, ${channel.target}, ${channel.secretSealed}
				FROM companies co WHERE co.id = ${channel.companyId}
					AND (${channel.employeeId} IS NULL OR EXISTS (SELECT 1 FROM employees e
						WHERE e.id = ${channel.employeeId} AND e.company_id = co.id))
				RETURNING id`,
		]),
	);
	return (rows as { id: number }[])[0]?.id;
}

/** Switches a channel off (its rows stay for the lead pages); false when there is no such channel. */
export async function deactivateChannel(db: Db, channelId: number): Promise<boolean> {
	const [rows = []] = await guarded(() =>
		runBatch(db, [
			sql`UPDATE notification_channels SET is_active = 0 WHERE id = ${channelId} RETURNING id`,
		]),
	);
	return rows.length > 0;
}

/** Queues a "test" notification on a channel; its id, or undefined when the channel is unknown. */
export async function queueTestNotification(
	db: Db,
	channelId: number,
): Promise<number | undefined> {
	const [rows = []] = await guarded(() =>
		runBatch(db, [
			sql`INSERT INTO notifications (company_id, channel_id, employee_id, kind)
				SELECT company_id, id, employee_id, 'test' FROM notification_channels WHERE id = ${channelId}
				RETURNING id`,
		]),
	);
	return (rows as { id: number }[])[0]?.id;
}

export interface SlaSettings {
	slaMinutes: number;
	escalateAfter: number;
	reminderHours: number;
}

export async function readSlaSettings(db: Db, companyId: number): Promise<SlaSettings | undefined> {
	const [rows = []] = await guarded(() =>
		runBatch(db, [
			sql`SELECT sla_minutes AS slaMinutes, escalate_after AS escalateAfter,
					reminder_hours AS reminderHours
				FROM company_notification_settings WHERE company_id = ${companyId}`,
		]),
	);
	return (rows as SlaSettings[])[0];
}

/** Sets the company's rules (leads stored from now on are watched by them); false: no such company. */
export async function writeSlaSettings(
	db: Db,
	companyId: number,
	settings: SlaSettings,
	now: Date,
): Promise<boolean> {
	const [rows = []] = await guarded(() =>
		runBatch(db, [
			sql`INSERT INTO company_notification_settings (company_id, sla_minutes, escalate_after,
					reminder_hours, updated_at)
				SELECT id, ${settings.slaMinutes}, ${settings.escalateAfter}, ${settings.reminderHours},
					${now.toISOString()}
				FROM companies WHERE id = ${companyId}
				ON CONFLICT (company_id) DO UPDATE SET sla_minutes = excluded.sla_minutes,
					escalate_after = excluded.escalate_after, reminder_hours = excluded.reminder_hours,
					updated_at = excluded.updated_at
				RETURNING company_id`,
		]),
	);
	return rows.length > 0;
}
