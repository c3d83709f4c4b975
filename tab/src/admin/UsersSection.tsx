/**
 * Everyone the directory import brought in, with their Quorum roles and seats: a server-side search, role
 * and seat filters, paging, a switch per seat kind and a roles menu per person.
 */
import {
  Badge,
  Body1,
  Button,
  Caption1,
  Dropdown,
  Field,
  Input,
  Menu,
  MenuButton,
  MenuItemCheckbox,
  MenuList,
  MenuPopover,
  MenuTrigger,
  makeStyles,
  Option,
  Subtitle1,
  Switch,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { MemberRow, RoleName } from "../../../src/api-contract/directory.ts";
import type { SeatKindName } from "../../../src/api-contract/seats.ts";
import { useTabEnvironment } from "../shared/context.ts";
import { useMe } from "../shared/me.ts";
import { ErrorState } from "../shared/StateViews.tsx";
import { SectionTable } from "./SectionTable.tsx";
import { type RoleFilter, type SeatFilter, useMembers } from "./useMembers.ts";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "1200px" },
  filters: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "end", flexWrap: "wrap" },
  search: { minWidth: "280px" },
  dropdown: { minWidth: "160px" },
  person: { display: "flex", flexDirection: "column" },
  detail: { color: tokens.colorNeutralForeground2 },
  cell: { display: "flex", gap: tokens.spacingHorizontalXS, alignItems: "center", flexWrap: "wrap" },
  paging: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
});

const roleOptions: readonly RoleFilter[] = ["all", "owner", "admin", "scheduler", "member"];
const seatOptions: readonly SeatFilter[] = ["any", "calling", "sync", "none"];
/** Roles an admin grants here; "member" is everyone's and always kept. */
const grantable: readonly RoleName[] = ["owner", "admin", "scheduler"];

/** A filter dropdown: its label is `admin.<textKey>`, each option's `admin.<textKey>_<option>`. */
function FilterField<T extends string>({
  textKey,
  options,
  value,
  onChange,
}: {
  textKey: "roleFilter" | "seatFilter";
  options: readonly T[];
  value: T;
  onChange: (value: T) => void;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  return (
    <Field label={t(`admin.${textKey}`)}>
      <Dropdown
        className={styles.dropdown}
        value={t(`admin.${textKey}_${value}`)}
        selectedOptions={[value]}
        onOptionSelect={(_e, d) => {
          const picked = options.find((o) => o === d.optionValue);
          if (picked) onChange(picked);
        }}
      >
        {options.map((o) => (
          <Option key={o} value={o}>
            {t(`admin.${textKey}_${o}`)}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}

export function UsersSection() {
  const styles = useStyles();
  const { t } = useTranslation();
  const members = useMembers();
  const [error, setError] = useState<unknown>(undefined);
  const list = members.list;
  const changed = (failure?: unknown) => {
    setError(failure);
    // The table shows what the service holds, whether the change went through or not.
    list.reload();
  };
  return (
    <section className={styles.root} aria-labelledby="users-heading">
      <Subtitle1 as="h2" id="users-heading">
        {t("admin.usersHeading")}
      </Subtitle1>
      <search className={styles.filters} aria-label={t("admin.filters")}>
        <Field label={t("admin.filter")} className={styles.search}>
          <Input
            type="search"
            placeholder={t("admin.filterHint")}
            value={members.text}
            onChange={(_e, d) => members.setText(d.value)}
          />
        </Field>
        <FilterField
          textKey="roleFilter"
          options={roleOptions}
          value={members.role}
          onChange={members.setRole}
        />
        <FilterField
          textKey="seatFilter"
          options={seatOptions}
          value={members.seat}
          onChange={members.setSeat}
        />
      </search>
      {error ? <ErrorState error={error} /> : null}
      <SectionTable
        state={list}
        rows={(data) => data.members}
        label={t("admin.usersHeading")}
        columns={[
          t("admin.name"),
          t("admin.email"),
          t("admin.kind_calling"),
          t("admin.kind_sync"),
          t("admin.roles"),
        ]}
        rowKey={(m) => m.userId}
        rowProps={(m) => ({ "data-user": m.upn })}
        empty={
          members.text || members.role !== "all" || members.seat !== "any"
            ? t("admin.noMatch")
            : t("admin.noMembers")
        }
        cells={(m) => [
          <div key="name" className={styles.person}>
            <Body1>{m.displayName}</Body1>
            {m.jobTitle ? <Caption1 className={styles.detail}>{m.jobTitle}</Caption1> : null}
            {m.accountEnabled ? null : (
              <Badge appearance="outline" color="danger">
                {t("admin.accountDisabled")}
              </Badge>
            )}
          </div>,
          m.mail ?? m.upn,
          <SeatSwitch key="calling" member={m} kind="calling" onDone={changed} />,
          <SeatSwitch key="sync" member={m} kind="sync" onDone={changed} />,
          <RolesCell key="roles" member={m} onDone={changed} />,
        ]}
      />
      {list.status === "ready" && list.data.total > 0 ? (
        <nav className={styles.paging} aria-label={t("admin.paging")}>
          <Caption1 aria-live="polite">
            {t("admin.range", {
              from: list.data.offset + 1,
              to: list.data.offset + list.data.members.length,
              total: list.data.total,
            })}
          </Caption1>
          <Button size="small" disabled={!members.hasPrevious} onClick={members.previous}>
            {t("admin.previousPage")}
          </Button>
          <Button size="small" disabled={!members.hasNext} onClick={members.next}>
            {t("admin.nextPage")}
          </Button>
        </nav>
      ) : null}
    </section>
  );
}

const seatColor = {
  active: "success",
  pending: "informative",
  failed: "danger",
  suspended: "warning",
} as const;

function SeatSwitch({
  member,
  kind,
  onDone,
}: {
  member: MemberRow;
  kind: SeatKindName;
  onDone: (error?: unknown) => void;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api } = useTabEnvironment();
  const [busy, setBusy] = useState(false);
  const seat = member.seats[kind];
  const state = seat?.state;
  return (
    <div className={styles.cell}>
      <Switch
        checked={seat !== null}
        disabled={busy}
        aria-label={t(`admin.seatFor_${kind}`, { name: member.displayName })}
        onChange={(_e, d) => {
          setBusy(true);
          (d.checked ? api.seats.assign(member.userId, kind) : api.seats.release(member.userId, kind))
            .then(
              () => onDone(),
              (error: unknown) => onDone(error),
            )
            .finally(() => setBusy(false));
        }}
      />
      {kind === "calling" && seat?.phoneNumber ? <Caption1>{seat.phoneNumber}</Caption1> : null}
      {state && state !== "active" ? (
        <Badge
          appearance="tint"
          color={state in seatColor ? seatColor[state as keyof typeof seatColor] : "informative"}
        >
          {t(`admin.seatState_${state}`, { defaultValue: state })}
        </Badge>
      ) : null}
    </div>
  );
}

function RolesCell({ member, onDone }: { member: MemberRow; onDone: (error?: unknown) => void }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { api } = useTabEnvironment();
  const { me } = useMe();
  const [busy, setBusy] = useState(false);
  const callerIsOwner = me.actor.roles.includes("owner");
  const held = member.roles.filter((r) => r !== "member");
  return (
    <div className={styles.cell}>
      {held.map((r) => (
        <Badge
          key={r}
          appearance={r === "owner" ? "filled" : "tint"}
          color={r === "owner" ? "brand" : "informative"}
        >
          {t(`admin.role_${r}`)}
        </Badge>
      ))}
      <Menu
        checkedValues={{ roles: held }}
        onCheckedValueChange={(_e, d) => {
          setBusy(true);
          api.members
            .setRoles(member.userId, d.checkedItems as RoleName[])
            .then(
              () => onDone(),
              (error: unknown) => onDone(error),
            )
            .finally(() => setBusy(false));
        }}
      >
        <MenuTrigger disableButtonEnhancement>
          <MenuButton
            size="small"
            appearance="subtle"
            disabled={busy}
            aria-label={t("admin.editRolesOf", { name: member.displayName })}
          >
            {t("admin.editRoles")}
          </MenuButton>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            {grantable.map((r) => (
              <MenuItemCheckbox key={r} name="roles" value={r} disabled={r === "owner" && !callerIsOwner}>
                {t(`admin.role_${r}`)}
              </MenuItemCheckbox>
            ))}
          </MenuList>
        </MenuPopover>
      </Menu>
    </div>
  );
}
