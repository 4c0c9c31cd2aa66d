// The router function app: Flex Consumption, .NET isolated, settings wired to the
// storage account, the OpenAI deployments and Application Insights through the
// user-assigned identity (no keys or connection strings with secrets).
metadata description = 'Router function app and its settings.'

param planName string
param name string
param location string
param tags object = {}

param identityId string
param identityClientId string

param storageAccountName string
param storageBlobEndpoint string
param tableServiceUri string
param deploymentContainerName string

param applicationInsightsConnectionString string

param openAiEndpoint string
param largeDeploymentName string
param smallDeploymentName string

@description('NCRONTAB schedule of the distillation report timer.')
param distillationSchedule string

@description('.NET version of the isolated worker on Flex Consumption.')
param dotnetVersion string = '10.0'

param maximumInstanceCount int = 100
param instanceMemoryMB int = 2048

var appSettings = {
  // Functions host storage, identity-based (blob, queue, table endpoints derived from the name).
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId

  // Telemetry: connection string + Entra ID auth with the app's identity.
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  OTEL_SERVICE_NAME: 'router'

  // Ledger (Table Storage).
  Router__Storage__TableServiceUri: tableServiceUri
  Router__Storage__ManagedIdentityClientId: identityClientId

  // Model backends.
  Router__Models__large__Endpoint: openAiEndpoint
  Router__Models__large__Deployment: largeDeploymentName
  Router__Models__large__Auth: 'managed-identity'
  Router__Models__large__ManagedIdentityClientId: identityClientId
  Router__Models__small__Endpoint: openAiEndpoint
  Router__Models__small__Deployment: smallDeploymentName
  Router__Models__small__Auth: 'managed-identity'
  Router__Models__small__ManagedIdentityClientId: identityClientId
  // Shadow candidate: the base small deployment with the large prompt (a cheaper prompted model).
  Router__Models__mini__Endpoint: openAiEndpoint
  Router__Models__mini__Deployment: smallDeploymentName
  Router__Models__mini__Auth: 'managed-identity'
  Router__Models__mini__ManagedIdentityClientId: identityClientId

  // Distillation report timer.
  Router__Distillation__Schedule: distillationSchedule
  // The Functions host resolves %Router:Ledger:Compaction:Schedule% from app settings, so it must be set here.
  Router__Ledger__Compaction__Schedule: '0 */5 * * * *'
}

module functionApp '../core/host/functions-flex.bicep' = {
  name: 'router-function-app'
  params: {
    planName: planName
    name: name
    location: location
    tags: union(tags, { 'azd-service-name': 'router' })
    identityId: identityId
    deploymentStorageBlobEndpoint: storageBlobEndpoint
    deploymentStorageContainerName: deploymentContainerName
    runtimeName: 'dotnet-isolated'
    runtimeVersion: dotnetVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    appSettings: appSettings
  }
}

output name string = functionApp.outputs.name
output uri string = functionApp.outputs.uri
