// Wall-clock time in an IANA time zone (Intl, no library): the weekday, the minute of the day and the
// day keys that working hours, time windows and daily/weekly caps are written in. Pure.

import { WEEKDAYS, type Weekday } from "../storage/distribution-state";

export type { Weekday };

export interface ZonedTime {
	weekday: Weekday;
	/** Minutes since local midnight (0–1439). */
	minute: number;
	/** The local date as YYYY-MM-DD: the key of a rep's daily count. */
	day: string;
	/** The local dates of this week so far, Monday first, today last. */
	weekDays: string[];
	/** "Tue 20:15", for reasons an operator reads. */
	label: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** True when Intl knows the zone ("Europe/Berlin", "UTC"); the schemas refuse any other. */
export function isTimeZone(zone: string): boolean {
	try {
		formatterFor(zone);
		return true;
	} catch {
		return false;
	}
}

function formatterFor(zone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(zone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat("en-US", {
			timeZone: zone,
			hourCycle: "h23",
			weekday: "short",
			year: "numeric",
			month: "2-digit",
			day: "2-digit",
			hour: "2-digit",
			minute: "2-digit",
		});
		formatters.set(zone, formatter);
	}
	return formatter;
}

// Intl's formatToParts costs microseconds; a delivery asks for the same zone and minute once per rep
// and lead, so readings are kept per zone and minute (bounded).
const readings = new Map<string, ZonedTime>();
const MAX_READINGS = 1000;

/** The wall clock in `zone` at `now` (to the minute). */
export function zonedTime(now: Date, zone: string): ZonedTime {
	const key = `${zone}|${Math.floor(now.getTime() / 60_000)}`;
	let reading = readings.get(key);
	if (!reading) {
		if (readings.size >= MAX_READINGS) readings.clear();
		reading = readClock(now, zone);
		readings.set(key, reading);
	}
	return reading;
}

function readClock(now: Date, zone: string): ZonedTime {
	const parts: Record<string, string> = {};
	for (const part of formatterFor(zone).formatToParts(now)) parts[part.type] = part.value;
	const weekday = (parts.weekday ?? "Mon").slice(0, 3).toLowerCase() as Weekday;
	const hour = Number(parts.hour);
	const minute = Number(parts.minute);
	const [year, month, date] = [Number(parts.year), Number(parts.month), Number(parts.day)];
	const sinceMonday = WEEKDAYS.indexOf(weekday);
	const weekDays = Array.from({ length: sinceMonday + 1 }, (_, i) =>
		new Date(Date.UTC(year, month - 1, date - sinceMonday + i)).toISOString().slice(0, 10),
	);
	const clock = `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
	return {
		weekday,
		minute: hour * 60 + minute,
		day: weekDays.at(-1) ?? "",
		weekDays,
		label: `${weekday[0]?.toUpperCase()}${weekday.slice(1)} ${clock}`,
	};
}

/** "09:30" → 570. The schemas only let HH:MM through. */
export function minuteOf(clock: string): number {
	const [hours = "0", minutes = "0"] = clock.split(":");
	return Number(hours) * 60 + Number(minutes);
}

/**
 * Within [from, to) on a 24 h clock; a window whose end is before its start runs past midnight, and
 * one whose end is its start ("00:00"–"00:00") is the whole day.
 */
export function withinClock(minute: number, from: string, to: string): boolean {
	const start = minuteOf(from);
	const end = minuteOf(to);
	if (start === end) return true;
	return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}
