// WhatsApp Cloud API `messages` changes (providers.md §5): inbound messages with their sender, or
// status callbacks (no messages) that create nothing. Pure: no I/O, no company, no storage.
import { idString, isJsonObject, type JsonObject, type JsonValue } from "./json";

export interface InboundMessage {
	/** The wamid: the dedupe key of a message. */
	wamid: string;
	/** Sender's number without "+" (absent for 2026 username users). */
	waId: string | undefined;
	/** Business-scoped user id (BSUID, e.g. "EG.1503627384950617"), 2026 onwards. */
	userId: string | undefined;
	profileName: string | null;
	type: string;
}

export interface WhatsAppChange {
	/** The routing key: value.metadata.phone_number_id. */
	phoneNumberId: string;
	messages: InboundMessage[];
	/** Status callbacks (sent, delivered, read, failed) in the change: acknowledged, never stored. */
	statuses: number;
}

export function parseWhatsAppChange(value: JsonObject): WhatsAppChange | { reason: string } {
	const metadata = isJsonObject(value.metadata) ? value.metadata : {};
	const phoneNumberId = idString(metadata.phone_number_id);
	if (phoneNumberId === undefined) return { reason: "messages change has no phone_number_id" };
	const contacts = Array.isArray(value.contacts) ? value.contacts.filter(isJsonObject) : [];
	const messages = Array.isArray(value.messages) ? value.messages.filter(isJsonObject) : [];
	const statuses = Array.isArray(value.statuses) ? value.statuses.length : 0;
	const parsed = messages.flatMap((message) => {
		const inbound = inboundMessage(message, contacts);
		return inbound ? [inbound] : [];
	});
	if (parsed.length < messages.length) return { reason: "message without id or sender" };
	return { phoneNumberId, messages: parsed, statuses };
}

function inboundMessage(message: JsonObject, contacts: JsonObject[]): InboundMessage | undefined {
	const wamid = text(message.id);
	const from = idString(message.from);
	const fromUserId = text(message.from_user_id);
	const contact =
		contacts.find(
			(c) =>
				(from !== undefined && idString(c.wa_id) === from) ||
				(fromUserId !== undefined && text(c.user_id) === fromUserId),
		) ?? (contacts.length === 1 ? contacts[0] : undefined);
	const waId = from ?? idString(contact?.wa_id);
	const userId = fromUserId ?? text(contact?.user_id);
	if (wamid === undefined || (waId === undefined && userId === undefined)) return undefined;
	const profile = contact && isJsonObject(contact.profile) ? contact.profile : {};
	const name = text(profile.name);
	return {
		wamid,
		waId,
		userId,
		profileName: name === undefined ? null : name.replace(/\s+/g, " "),
		type: text(message.type) ?? "unknown",
	};
}

function text(value: JsonValue | undefined): string | undefined {
	return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
