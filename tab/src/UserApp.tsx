/** The Schedule personal tab: find a time and book, my meetings, settings. */
import { useState } from "react";
import { MeetingsView } from "./meetings/MeetingsView.tsx";
import { ScheduleView } from "./schedule/ScheduleView.tsx";
import { SettingsView } from "./settings/SettingsView.tsx";
import { SectionNav } from "./shared/SectionNav.tsx";
import { TenantNotice } from "./shared/TenantNotice.tsx";

const sections = ["schedule", "meetings", "settings"] as const;
type Section = (typeof sections)[number];

export function UserApp() {
  const [section, setSection] = useState<Section>("schedule");
  return (
    <SectionNav sections={sections} selected={section} onSelect={setSection}>
      <TenantNotice />
      {section === "schedule" ? <ScheduleView /> : null}
      {section === "meetings" ? <MeetingsView /> : null}
      {section === "settings" ? <SettingsView /> : null}
    </SectionNav>
  );
}
