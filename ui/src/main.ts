import './boot'
import './styles/main.css'

import { createApp } from 'vue'

import App from './App.vue'
import { notifyError } from './notices'

async function start(): Promise<void> {
  // `vite --mode fake` only: an in-memory backend for looking at the UI in a
  // plain browser. The condition is a build-time constant, so the real build
  // contains neither the branch nor the module.
  if (import.meta.env.VITE_FAKE_BACKEND === '1') {
    const { installFakeBackend } = await import('./dev/fakeBackend')
    installFakeBackend()
  }

  const app = createApp(App)
  app.config.errorHandler = (error) => {
    console.error(error)
    notifyError(error)
  }
  app.mount('#app')
}

// Last line of defence: a promise nobody handled still reaches the person as
// a message instead of vanishing.
window.addEventListener('unhandledrejection', (event) => {
  event.preventDefault()
  console.error(event.reason)
  notifyError(event.reason)
})

start().catch((error: unknown) => {
  console.error(error)
  notifyError(error)
})
