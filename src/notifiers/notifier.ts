// The one interface every notification channel implements (as forwarders/forwarder.ts is for
// destinations): send one notice, answer what happened. Channels do HTTP only; claiming, retries
// and storage live in deliver.ts.
import type { NotificationKind } from "../storage/schema";

/** A lead as a rep needs it to call: only ever sent to the rep's own channels. */
export interface NoticeLead {
	clientId: number;
	name: string | null;
	/** E.164, for the `tel:` link. */
	phone: string | null;
	email: string | null;
	source: string | null;
	form: string | null;
	campaign: string | null;
	answers: { name: string; values: string[] }[];
	createdAt: string | null;
}

/** Absolute one-click links (absent when PUBLIC_BASE_URL is not set). */
export interface NoticeLinks {
	contacted?: string;
	notMine?: string;
	open?: string;
}

/** What one notification says, before a channel shapes it. */
export interface Notice {
	/** The notification row's id: the webhook-id and the email's idempotency key. */
	id: number;
	kind: NotificationKind;
	companyName: string;
	/** Whom it is for: the rep's name, or null for a manager channel. */
	recipient: string | null;
	/** The lead with its details (new lead, reassigned to, reminder), or only its id (the others). */
	lead: NoticeLead | { clientId: number } | null;
	/** The rep who has the lead now (reassignments, escalations). */
	assignee: string | null;
	reassignments: number;
	links: NoticeLinks;
}

/** What happened to one send. Codes are the channel's (an HTTP status, Resend's error name...). */
export type SendOutcome =
	| { kind: "sent"; httpStatus: number; durationMs: number }
	| { kind: "permanent"; code: string; httpStatus: number | null; durationMs: number }
	| {
			kind: "transient";
			code: string;
			httpStatus: number | null;
			durationMs: number;
			retryAfterSeconds?: number;
	  };

export interface Notifier {
	send(notice: Notice): Promise<SendOutcome>;
}
