// WhatsApp Cloud API deliveries as Meta sends them (providers.md §5): one inbound text message from
// a sender (wa_id and/or BSUID) to a business phone number id, with a fresh wamid each time.

export const PHONE_NUMBER_ID = "112233445566778";

export interface Sender {
	name: string;
	waId?: string;
	userId?: string;
}

let sequence = 0;

/** One `whatsapp_business_account` delivery holding one inbound text message. */
export function whatsappMessage(
	sender: Sender,
	phoneNumberId = PHONE_NUMBER_ID,
): { body: string; wamid: string } {
	sequence += 1;
	const wamid = `wamid.TEST${String(sequence).padStart(6, "0")}`;
	const contact = {
		profile: { name: sender.name },
		...(sender.waId ? { wa_id: sender.waId } : {}),
		...(sender.userId ? { user_id: sender.userId } : {}),
	};
	const body = JSON.stringify({
		object: "whatsapp_business_account",
		entry: [
			{
				id: "102345678901234",
				changes: [
					{
						field: "messages",
						value: {
							messaging_product: "whatsapp",
							metadata: { display_phone_number: "97145551234", phone_number_id: phoneNumberId },
							contacts: [contact],
							messages: [
								{
									...(sender.waId ? { from: sender.waId } : {}),
									...(sender.userId ? { from_user_id: sender.userId } : {}),
									id: wamid,
									timestamp: "1793800000",
									type: "text",
									text: { body: "Hello, is this available?" },
								},
							],
						},
					},
				],
			},
		],
	});
	return { body, wamid };
}
