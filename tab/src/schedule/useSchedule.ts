/** State of the Schedule view: the search form, availability, suggestions and the booking in progress. */
import { useState } from "react";
import type { DirectoryPerson } from "../../../src/api-contract/directory.ts";
import { addDays, isoDateInZone } from "../format.ts";
import { useTabEnvironment } from "../shared/context.ts";

export const durations = [15, 30, 45, 60, 90] as const;

export function useScheduleForm() {
  const { timeZone } = useTabEnvironment();
  const today = isoDateInZone(Date.now(), timeZone);
  const [required, setRequired] = useState<DirectoryPerson[]>([]);
  const [optional, setOptional] = useState<DirectoryPerson[]>([]);
  const [duration, setDuration] = useState<number>(30);
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(addDays(today, 4));
  const [submitted, setSubmitted] = useState(0);
  return {
    required,
    setRequired,
    optional,
    setOptional,
    duration,
    setDuration,
    from,
    setFrom: (v: string) => {
      setFrom(v);
      if (v > to) setTo(v);
    },
    to,
    setTo,
    submitted,
    submit: () => setSubmitted((n) => n + 1),
  };
}
