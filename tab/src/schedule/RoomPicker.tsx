/**
 * Meeting room picker over the tenant's places (`/api/rooms`): type to filter by name, building or
 * e-mail; each option shows the room's seats and building. The picked room's e-mail is what availability
 * and bookings take.
 */
import { Caption1, Combobox, makeStyles, Option, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Room } from "../../../src/api-contract/directory.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { useTypeAhead } from "../shared/useDebounced.ts";

const useStyles = makeStyles({
  // Fluent's combobox asks for 250px; it takes its field's width instead.
  combobox: { minWidth: 0 },
  option: { display: "flex", flexDirection: "column" },
  detail: { color: tokens.colorNeutralForeground2 },
  message: { padding: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2 },
  error: { padding: tokens.spacingHorizontalS, color: tokens.colorPaletteRedForeground1 },
});

/** "Seats: 8 · Stockholm HQ, floor 3" */
export function useRoomDetails(): (room: Room) => string {
  const { t } = useTranslation();
  return (room) =>
    [
      room.capacity !== null ? t("schedule.roomSeats", { count: room.capacity }) : null,
      room.building,
      room.floorNumber !== null ? t("schedule.roomFloor", { floor: room.floorNumber }) : null,
    ]
      .filter(Boolean)
      .join(" · ");
}

export interface RoomPickerProps {
  id?: string;
  value: Room | null;
  onChange: (room: Room | null) => void;
  /** Only rooms seating at least this many people. */
  minCapacity?: number | undefined;
}

export function RoomPicker({ id, value, onChange, minCapacity }: RoomPickerProps) {
  const styles = useStyles();
  const { t } = useTranslation();
  const details = useRoomDetails();
  // What the person is typing; undefined while the field shows the picked room.
  const [query, setQuery] = useState<string | undefined>(undefined);
  const { api } = useTabEnvironment();
  const search = useTypeAhead(
    query ?? "",
    (q, signal) => api.rooms({ ...(q ? { q } : {}), ...(minCapacity ? { minCapacity } : {}) }, signal),
    [api, minCapacity],
  );
  // The rooms of the last answer stay listed while the next one loads, so the list does not flicker.
  const rooms =
    search.status === "done"
      ? search.data.rooms
      : search.status === "searching"
        ? (search.previous?.rooms ?? [])
        : [];
  return (
    <Combobox
      id={id}
      className={styles.combobox}
      clearable
      value={query ?? value?.displayName ?? ""}
      selectedOptions={value ? [value.email] : []}
      placeholder={t("schedule.roomPlaceholder")}
      onChange={(e) => setQuery(e.target.value)}
      onOptionSelect={(_e, d) => {
        setQuery(undefined);
        onChange((d.optionValue && rooms.find((r) => r.email === d.optionValue)) || null);
      }}
      onOpenChange={(_e, d) => {
        if (!d.open) setQuery(undefined);
      }}
    >
      {search.status === "searching" && rooms.length === 0 ? (
        <div className={styles.message}>{t("schedule.searching")}</div>
      ) : null}
      {search.status === "failed" ? (
        <div className={styles.error} role="alert">
          {search.message}
        </div>
      ) : null}
      {search.status === "done" && rooms.length === 0 ? (
        <div className={styles.message}>{t("schedule.noRooms")}</div>
      ) : null}
      {rooms.map((room) => (
        <Option key={room.email} value={room.email} text={room.displayName}>
          <div className={styles.option}>
            <span>{room.displayName}</span>
            <Caption1 className={styles.detail}>{details(room)}</Caption1>
          </div>
        </Option>
      ))}
    </Combobox>
  );
}
