// Router: Azure resources for `azd up` (see docs/deploy.md).
targetScope = 'subscription'

metadata description = 'Router: Flex Consumption function app, storage (ledger tables), Azure OpenAI, monitoring, managed identity.'

@minLength(1)
@maxLength(64)
@description('azd environment name; used in resource names and the azd-env-name tag.')
param environmentName string

@minLength(1)
@description('Primary location for all resources.')
param location string

@description('Location of the Azure OpenAI account (model availability differs by region); empty = location.')
param openAiLocation string = ''

@description('Object id of the deploying user or service principal, granted the same data roles for local development; empty to skip.')
param principalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Large (prompted) model deployment.')
param largeDeploymentName string = 'gpt-4o'
param largeModelName string = 'gpt-4o'
param largeModelVersion string = '2024-08-06'
@allowed([
  'GlobalStandard'
  'Standard'
])
param largeSkuName string = 'GlobalStandard'
@minValue(1)
@description('Capacity in thousands of tokens per minute.')
param largeCapacity int = 30

@description('Small (tuned) model deployment.')
param smallDeploymentName string = 'gpt-4o-mini'
param smallModelName string = 'gpt-4o-mini'
param smallModelVersion string = '2024-07-18'
@allowed([
  'GlobalStandard'
  'Standard'
])
param smallSkuName string = 'GlobalStandard'
@minValue(1)
@description('Capacity in thousands of tokens per minute.')
param smallCapacity int = 30

@description('NCRONTAB schedule of the distillation report timer (Router__Distillation__Schedule).')
param distillationSchedule string = '0 0 6 * * *'

@description('.NET version of the isolated worker (Flex Consumption runtime version).')
param dotnetVersion string = '10.0'

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = '${abbrs.webSitesFunctions}router-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'
var routerTables = [
  'RouterCalls'
  'RouterRollups'
  'RouterSamples'
  'RouterReports'
]

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module monitoring 'core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module identity 'core/security/user-assigned-identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}router-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'core/storage/storage-account.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    containers: [
      deploymentContainerName
    ]
    tables: routerTables
  }
}

module openAi 'core/ai/openai.bicep' = {
  name: 'openai'
  scope: rg
  params: {
    name: '${abbrs.cognitiveServicesAccounts}${resourceToken}'
    location: empty(openAiLocation) ? location : openAiLocation
    tags: tags
    deployments: [
      {
        name: largeDeploymentName
        model: {
          name: largeModelName
          version: largeModelVersion
        }
        sku: {
          name: largeSkuName
          capacity: largeCapacity
        }
      }
      {
        name: smallDeploymentName
        model: {
          name: smallModelName
          version: smallModelVersion
        }
        sku: {
          name: smallSkuName
          capacity: smallCapacity
        }
      }
    ]
  }
}

module access 'app/access.bicep' = {
  name: 'access'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    openAiAccountName: openAi.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    identityPrincipalId: identity.outputs.principalId
    principalId: principalId
    principalType: principalType
  }
}

module router 'app/router.bicep' = {
  name: 'router'
  scope: rg
  params: {
    planName: '${abbrs.webServerFarms}router-${resourceToken}'
    name: functionAppName
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.primaryBlobEndpoint
    tableServiceUri: storage.outputs.tableServiceUri
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    openAiEndpoint: openAi.outputs.endpoint
    largeDeploymentName: largeDeploymentName
    smallDeploymentName: smallDeploymentName
    distillationSchedule: distillationSchedule
    dotnetVersion: dotnetVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
  // The host reads its deployment package and storage with the identity: roles first.
  dependsOn: [
    access
  ]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = router.outputs.name
output ROUTER_URL string = router.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableServiceUri
output AZURE_OPENAI_ENDPOINT string = openAi.outputs.endpoint
output AZURE_OPENAI_LARGE_DEPLOYMENT string = largeDeploymentName
output AZURE_OPENAI_SMALL_DEPLOYMENT string = smallDeploymentName
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
