import '@whatsapp-connector/element/define';
import { createApp, defineComponent, ref, type App as VueApp } from 'vue';
import type { SessionClient } from '@whatsapp-connector/client';
import type { WacEventMap } from '@whatsapp-connector/element';

/** Options of {@link createWhatsAppApp}. */
export interface WhatsAppAppOptions {
  /** The session endpoint of your backend. */
  endpoint?: string;
  /** A client of your own (tests, custom transports); when set, `endpoint` is ignored by the widget. */
  client?: SessionClient;
}

/**
 * The settings panel: `<whatsapp-connector>` as a custom element. `.prop` bindings set
 * properties (objects such as `client` cannot be attributes), `@wac-*` listens to the
 * element's events.
 */
const WhatsAppPanel = defineComponent({
  name: 'WhatsAppPanel',
  props: {
    endpoint: { type: String, default: '/api/whatsapp/session' },
    client: { type: Object as () => SessionClient | undefined, default: undefined },
  },
  setup() {
    const status = ref('unknown');
    const linked = ref<string | null>(null);
    const log = ref<string[]>([]);
    return {
      status,
      linked,
      log,
      onStatusChange(event: WacEventMap['wac-status-change']) {
        status.value = event.detail.status;
        log.value.push(`status: ${event.detail.status}`);
      },
      onConnected(event: WacEventMap['wac-connected']) {
        linked.value = event.detail.me?.pushName ?? event.detail.me?.id ?? 'linked';
      },
      onAction(event: WacEventMap['wac-action']) {
        log.value.push(`action: ${event.detail.action} ${event.detail.stage}`);
      },
    };
  },
  template: `
    <main>
      <h1>WhatsApp <small v-if="linked" data-testid="linked">({{ linked }})</small></h1>
      <p>Status: <strong data-testid="status">{{ status }}</strong></p>
      <whatsapp-connector
        :endpoint.prop="endpoint"
        :client.prop="client"
        lang="en"
        @wac-status-change="onStatusChange"
        @wac-connected="onConnected"
        @wac-action="onAction"
      ></whatsapp-connector>
      <ol aria-label="Events" data-testid="log">
        <li v-for="(line, index) in log" :key="index">{{ line }}</li>
      </ol>
    </main>
  `,
});

/**
 * Creates the Vue app. The template compiler is told that `whatsapp-connector` is a
 * custom element, so Vue leaves it to the browser instead of looking for a component.
 */
export function createWhatsAppApp(options: WhatsAppAppOptions = {}): VueApp {
  const app = createApp(WhatsAppPanel, { endpoint: options.endpoint, client: options.client });
  app.config.compilerOptions.isCustomElement = (tag) => tag === 'whatsapp-connector';
  return app;
}
