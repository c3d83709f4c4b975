/** The dark and high-contrast Teams themes, loaded only when Teams switches to them. */
export { teamsDarkTheme, teamsHighContrastTheme } from "@fluentui/react-components";
