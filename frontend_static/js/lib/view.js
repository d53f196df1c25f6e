// The one view library of the pages (docs/decisions/0502-page-kit.md): Preact with htm,
// for the parts of a page whose state changes in real time. No build step:
//   render(html`<${Notices} items=${items} />`, node)
export { html, render } from "htm/preact";
export { useEffect, useRef, useState } from "preact/hooks";
