/**
 * The AWS SDK v3 prints a NodeVersionSupportWarning when a client is constructed on Node < 22
 * (emitWarningIfUnsupportedVersion in @aws-sdk/core). Lambda runs Node 22, so on a partner's
 * Node 20 it is noise. The SDK's documented switch is this variable; a value the user chose is kept.
 * Import this module first wherever clients may follow: ESM evaluates imports in order.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
