// Charts with Apache ECharts: chart(node, option) draws into the element in the pages'
// colours and language and follows the element's size; update() and dispose() as needed.
import * as echarts from "echarts";
import { currentLang } from "app/lib/i18n.js";

export const PALETTE = ["#c0392b", "#1f4b99", "#1d6b1d", "#8a5a00", "#6b3fa0", "#0f7b7b"];

export function chart(node, option) {
  const instance = echarts.init(node, null, { locale: currentLang() === "en" ? "EN" : "ZH" });
  instance.setOption({ color: PALETTE, ...option });
  const observer = new ResizeObserver(() => instance.resize());
  observer.observe(node);
  return {
    instance,
    update: (next) => instance.setOption(next),
    dispose: () => { observer.disconnect(); instance.dispose(); },
  };
}
