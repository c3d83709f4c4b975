/**
 * Everyone the directory import brought in, with their Quorum roles and seats: a server-side search, role
 * and seat filters, paging, a switch per seat kind and a roles menu per person.
 */
import {
  Badge,
  Body1,
  Button,
  Caption1,
  Field,
  Input,
  Menu,
  MenuButton,
  MenuItemCheckbox,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Switch,
} from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import type { MemberRow } from "../../../src/api-contract/directory.ts";
import type { SeatKindName } from "../../../src/api-contract/seats.ts";
import { ChoiceField } from "../shared/ChoiceField.tsx";
import { ErrorState } from "../shared/StateViews.tsx";
import { AdminSection } from "./AdminSection.tsx";
import { SectionTable } from "./SectionTable.tsx";
import { useUsersStyles } from "./UsersSection.styles.ts";
import {
  type ChangeDone,
  grantable,
  roleOptions,
  seatOptions,
  useRolesMenu,
  useSeatSwitch,
  useUsers,
} from "./useUsers.ts";

export function UsersSection() {
  const styles = useUsersStyles();
  const { t } = useTranslation();
  const users = useUsers();
  const list = users.list;
  return (
    <AdminSection name="users" heading={t("admin.usersHeading")} className={styles.root}>
      <search className={styles.filters} aria-label={t("admin.filters")}>
        <Field label={t("admin.filter")} className={styles.search}>
          <Input
            type="search"
            placeholder={t("admin.filterHint")}
            value={users.text}
            onChange={(_e, d) => users.setText(d.value)}
          />
        </Field>
        <ChoiceField
          label={t("admin.roleFilter")}
          className={styles.dropdown}
          options={roleOptions}
          value={users.role}
          text={(o) => t(`admin.roleFilter_${o}`)}
          onChange={users.setRole}
        />
        <ChoiceField
          label={t("admin.seatFilter")}
          className={styles.dropdown}
          options={seatOptions}
          value={users.seat}
          text={(o) => t(`admin.seatFilter_${o}`)}
          onChange={users.setSeat}
        />
      </search>
      {users.error ? <ErrorState error={users.error} /> : null}
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
        empty={users.filtered ? t("admin.noMatch") : t("admin.noMembers")}
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
          <SeatSwitch key="calling" member={m} kind="calling" onDone={users.changed} />,
          <SeatSwitch key="sync" member={m} kind="sync" onDone={users.changed} />,
          <RolesCell key="roles" member={m} onDone={users.changed} />,
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
          <Button size="small" disabled={!users.hasPrevious} onClick={users.previous}>
            {t("admin.previousPage")}
          </Button>
          <Button size="small" disabled={!users.hasNext} onClick={users.next}>
            {t("admin.nextPage")}
          </Button>
        </nav>
      ) : null}
    </AdminSection>
  );
}

const seatColor = {
  active: "success",
  pending: "informative",
  failed: "danger",
  suspended: "warning",
} as const;

function SeatSwitch({ member, kind, onDone }: { member: MemberRow; kind: SeatKindName; onDone: ChangeDone }) {
  const styles = useUsersStyles();
  const { t } = useTranslation();
  const { seat, busy, toggle } = useSeatSwitch(member, kind, onDone);
  const state = seat?.state;
  return (
    <div className={styles.cell}>
      <Switch
        checked={seat !== null}
        disabled={busy}
        aria-label={t(`admin.seatFor_${kind}`, { name: member.displayName })}
        onChange={(_e, d) => toggle(d.checked)}
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

function RolesCell({ member, onDone }: { member: MemberRow; onDone: ChangeDone }) {
  const styles = useUsersStyles();
  const { t } = useTranslation();
  const roles = useRolesMenu(member, onDone);
  return (
    <div className={styles.cell}>
      {roles.held.map((r) => (
        <Badge
          key={r}
          appearance={r === "owner" ? "filled" : "tint"}
          color={r === "owner" ? "brand" : "informative"}
        >
          {t(`admin.role_${r}`)}
        </Badge>
      ))}
      <Menu checkedValues={{ roles: roles.held }} onCheckedValueChange={(_e, d) => roles.set(d.checkedItems)}>
        <MenuTrigger disableButtonEnhancement>
          <MenuButton
            size="small"
            appearance="subtle"
            disabled={roles.busy}
            aria-label={t("admin.editRolesOf", { name: member.displayName })}
          >
            {t("admin.editRoles")}
          </MenuButton>
        </MenuTrigger>
        <MenuPopover>
          <MenuList>
            {grantable.map((r) => (
              <MenuItemCheckbox
                key={r}
                name="roles"
                value={r}
                disabled={r === "owner" && !roles.callerIsOwner}
              >
                {t(`admin.role_${r}`)}
              </MenuItemCheckbox>
            ))}
          </MenuList>
        </MenuPopover>
      </Menu>
    </div>
  );
}
