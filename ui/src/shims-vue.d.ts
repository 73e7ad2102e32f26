// For tools that read .ts without Vue's language service (typescript-eslint).
// vue-tsc resolves the real component types and ignores this.
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
