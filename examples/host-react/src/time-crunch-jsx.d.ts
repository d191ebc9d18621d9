// <time-crunch-preview-modal> in JSX, typed: its attributes are a div's,
// `ref` gives the element's class (open, close, prefetch, strings, client)
// and its events are typed through TimeCrunchModalEventMap.
import type { DetailedHTMLProps, HTMLAttributes } from "react";
import type { TimeCrunchPreviewModal } from "time-crunch/modal";

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      "time-crunch-preview-modal": DetailedHTMLProps<HTMLAttributes<TimeCrunchPreviewModal>, TimeCrunchPreviewModal>;
    }
  }
}
