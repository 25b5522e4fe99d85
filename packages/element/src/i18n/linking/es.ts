import type { WacLinkingStrings } from '../strings.js';

/** Built-in Spanish texts of the linking view. */
export const esLinking: WacLinkingStrings = {
  qrAlt: 'Código QR para vincular WhatsApp. Escanéalo con WhatsApp en tu teléfono.',
  qrSteps: [
    'Abre WhatsApp en tu teléfono.',
    'Toca Menú o Configuración y luego Dispositivos vinculados.',
    'Toca Vincular un dispositivo.',
    'Apunta tu teléfono a esta pantalla para escanear el código.',
  ],
  usePhoneInstead: 'Vincular con número de teléfono',
  useQrInstead: 'Usar un código QR',
  phoneLabel: 'Número de teléfono con código de país',
  phoneHint: 'Solo dígitos, primero el código de país. Ejemplo: 5215512345678',
  phoneInvalid: 'Escribe de 7 a 15 dígitos, empezando por el código de país.',
  requestCode: 'Obtener código',
  pairingTitle: 'Escribe este código en tu teléfono',
  pairingSteps: [
    'Abre WhatsApp en tu teléfono.',
    'Toca Menú o Configuración y luego Dispositivos vinculados.',
    'Toca Vincular un dispositivo y luego Vincular con el número de teléfono.',
    'Escribe el código que ves aquí.',
  ],
  passkeyTitle: 'Confirma en tu teléfono',
  passkeyDetail: 'WhatsApp espera que confirmes en tu teléfono.',
  expiredTitle: 'El código caducó',
  expiredDetail: 'No se escaneó a tiempo. Pide uno nuevo cuando tengas el teléfono a mano.',
  showNewCode: 'Mostrar un código nuevo',
};
