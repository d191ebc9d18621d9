// The type dashboards/time-crunch.json must have: Grafana's own `Dashboard`
// (npm @grafana/schema), with every panel a time series panel whose options
// and field config are that plugin's published types. check.test.mjs turns
// the JSON into an object literal of this type, so TypeScript's excess
// property check rejects any field Grafana does not know.
import type { Dashboard, FieldConfigSource, Panel, RowPanel } from '@grafana/schema';
import type {
  FieldConfig as TimeSeriesFieldConfig,
  Options as TimeSeriesOptions,
} from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';

/**
 * A type as JSON carries it: a string enum (`ThresholdsMode.Absolute`) is
 * its value (`"absolute"`), which is what Grafana reads; TypeScript would
 * otherwise accept only the enum member, never the JSON string.
 */
export type Wire<T> = T extends string
  ? `${T}`
  : T extends number | boolean | null | undefined
    ? T
    : T extends ReadonlyArray<infer E>
      ? Array<Wire<E>>
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T;

/** Every field optional, nested too: Grafana fills a panel plugin's missing options with its defaults. */
export type PluginDefaults<T> = T extends ReadonlyArray<unknown>
  ? T
  : T extends object
    ? { [K in keyof T]?: PluginDefaults<T[K]> }
    : T;

/** A time series panel: the generic panel with the plugin's options and custom field config. */
export type TimeSeriesPanel = Omit<Panel, 'type' | 'options' | 'fieldConfig'> & {
  type: 'timeseries';
  options?: PluginDefaults<TimeSeriesOptions>;
  fieldConfig?: Omit<FieldConfigSource, 'defaults'> & {
    defaults: Omit<FieldConfigSource['defaults'], 'custom'> & {
      custom?: PluginDefaults<TimeSeriesFieldConfig>;
    };
  };
};

/** The project's dashboard: Grafana's `Dashboard`, its panels time series panels or rows. */
export type TimeCrunchDashboard = Wire<Omit<Dashboard, 'panels'> & { panels?: Array<TimeSeriesPanel | RowPanel> }>;
