/** The Schedule personal tab: find a time and book, my meetings, settings. */
import { makeStyles, Tab, TabList, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { MeetingsView } from "./meetings/MeetingsView.tsx";
import { ScheduleView } from "./schedule/ScheduleView.tsx";
import { SettingsView } from "./settings/SettingsView.tsx";
import { MeGate } from "./shared/MeGate.tsx";
import { TenantNotice } from "./shared/TenantNotice.tsx";

const useStyles = makeStyles({
  nav: {
    paddingInline: tokens.spacingHorizontalL,
    paddingTop: tokens.spacingVerticalS,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  main: { padding: tokens.spacingHorizontalL },
});

type Section = "schedule" | "meetings" | "settings";

export function UserApp() {
  const styles = useStyles();
  const { t } = useTranslation();
  const [section, setSection] = useState<Section>("schedule");
  return (
    <>
      <nav className={styles.nav} aria-label={t("app.nav")}>
        <TabList selectedValue={section} onTabSelect={(_e, d) => setSection(d.value as Section)}>
          <Tab value="schedule">{t("nav.schedule")}</Tab>
          <Tab value="meetings">{t("nav.meetings")}</Tab>
          <Tab value="settings">{t("nav.settings")}</Tab>
        </TabList>
      </nav>
      <main className={styles.main}>
        <MeGate>
          <TenantNotice />
          {section === "schedule" ? <ScheduleView /> : null}
          {section === "meetings" ? <MeetingsView /> : null}
          {section === "settings" ? <SettingsView /> : null}
        </MeGate>
      </main>
    </>
  );
}
