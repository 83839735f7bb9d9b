import { createRequire } from "node:module";

/**
 * The fonts the PNG is drawn with: Arimo regular and bold (SIL Open Font License, from the npm package
 * `@expo-google-fonts/arimo`). Arimo has Helvetica's and Arial's metrics, which Graphviz assumes when
 * it measures the labels (`fontname=Helvetica`), so text fits its boxes exactly; and no system font
 * is needed.
 */
export function bundledFontFiles(): string[] {
  const require = createRequire(import.meta.url);
  return [
    require.resolve("@expo-google-fonts/arimo/400Regular/Arimo_400Regular.ttf"),
    require.resolve("@expo-google-fonts/arimo/700Bold/Arimo_700Bold.ttf"),
  ];
}

export const BUNDLED_FONT_FAMILY = "Arimo";
