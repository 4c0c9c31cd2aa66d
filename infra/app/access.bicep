// Role assignments (RBAC) that replace keys and connection strings:
// - the router's managed identity: data roles on storage (tables for the ledger;
//   blob/queue/table for the Functions host with identity-based AzureWebJobsStorage and
//   the Flex deployment container), OpenAI User on the OpenAI account, and Monitoring
//   Metrics Publisher on Application Insights (Entra ID telemetry ingestion);
// - the deploying principal (optional): the same data roles, for local development
//   against the real resources with `az login` / DefaultAzureCredential.
metadata description = 'RBAC for the router identity and the deploying principal.'

param storageAccountName string
param openAiAccountName string
param applicationInsightsName string

@description('Principal (object) id of the router\'s user-assigned identity.')
param identityPrincipalId string

@description('Object id of the deploying user or service principal; empty to skip.')
param principalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

// Built-in role definition ids (same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  cognitiveServicesOpenAIUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

var storageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

var principals = empty(principalId)
  ? [
      {
        id: identityPrincipalId
        type: 'ServicePrincipal'
      }
    ]
  : [
      {
        id: identityPrincipalId
        type: 'ServicePrincipal'
      }
      {
        id: principalId
        type: principalType
      }
    ]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource openAi 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: openAiAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource storageAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for pair in flatten(map(principals, p => map(storageRoles, r => { principal: p, role: r }))): {
    name: guid(storage.id, pair.principal.id, pair.role)
    scope: storage
    properties: {
      principalId: pair.principal.id
      principalType: pair.principal.type
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', pair.role)
    }
  }
]

resource openAiAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for p in principals: {
    name: guid(openAi.id, p.id, roles.cognitiveServicesOpenAIUser)
    scope: openAi
    properties: {
      principalId: p.id
      principalType: p.type
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.cognitiveServicesOpenAIUser)
    }
  }
]

resource telemetryAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for p in principals: {
    name: guid(applicationInsights.id, p.id, roles.monitoringMetricsPublisher)
    scope: applicationInsights
    properties: {
      principalId: p.id
      principalType: p.type
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    }
  }
]
