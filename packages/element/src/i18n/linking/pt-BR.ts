import type { WacLinkingStrings } from '../strings.js';

/** Built-in Brazilian Portuguese texts of the linking view. */
export const ptBRLinking: WacLinkingStrings = {
  qrAlt: 'Código QR para conectar o WhatsApp. Escaneie com o WhatsApp no seu celular.',
  qrSteps: [
    'Abra o WhatsApp no seu celular.',
    'Toque em Mais opções ou Configurações e depois em Dispositivos conectados.',
    'Toque em Conectar um dispositivo.',
    'Aponte o celular para esta tela para escanear o código.',
  ],
  usePhoneInstead: 'Conectar com número de telefone',
  useQrInstead: 'Usar um código QR',
  phoneLabel: 'Número de telefone com código do país',
  phoneHint: 'Somente dígitos, começando pelo código do país. Exemplo: 5511912345678',
  phoneInvalid: 'Digite de 7 a 15 dígitos, começando pelo código do país.',
  requestCode: 'Obter código',
  pairingTitle: 'Digite este código no seu celular',
  pairingSteps: [
    'Abra o WhatsApp no seu celular.',
    'Toque em Mais opções ou Configurações e depois em Dispositivos conectados.',
    'Toque em Conectar um dispositivo e depois em Conectar com número de telefone.',
    'Digite o código mostrado aqui.',
  ],
  passkeyTitle: 'Confirme no seu celular',
  passkeyDetail: 'O WhatsApp está aguardando sua confirmação no celular.',
  expiredTitle: 'O código expirou',
  expiredDetail: 'Ele não foi escaneado a tempo. Peça um novo quando o celular estiver à mão.',
  showNewCode: 'Mostrar um novo código',
};
