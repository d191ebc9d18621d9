// styles.css is bundled as text (esbuild's text loader), adopted by the shadow root.
declare module "*.css" {
  const css: string;
  export default css;
}
