// The notification channel and speed-to-lead settings shapes the operator API and the console share.
import { z } from "zod";
import { CHANNEL_KINDS } from "../../storage/schema";

export const channelBody = z.object({
	/** The rep whose channel it is; omitted or null: a manager channel of the company. */
	employee_id: z.coerce.number().int().positive().nullish(),
	kind: z.enum(CHANNEL_KINDS),
	/** email: the address; slack: the incoming webhook URL; webhook: the receiver's URL. */
	target: z.string().trim().min(3).max(2000),
	/** webhook only: a `whsec_` secret to sign with; a new one is made (and shown once) when omitted. */
	secret: z.string().trim().max(200).optional(),
});
export type ChannelBody = z.infer<typeof channelBody>;

export const slaSettingsBody = z.object({
	sla_minutes: z.coerce
		.number()
		.int()
		.min(0)
		.max(7 * 24 * 60)
		.optional(),
	escalate_after: z.coerce.number().int().min(0).max(100).optional(),
	reminder_hours: z.coerce
		.number()
		.int()
		.min(0)
		.max(24 * 30)
		.optional(),
});
export type SlaSettingsBody = z.infer<typeof slaSettingsBody>;
