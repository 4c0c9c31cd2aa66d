// Azure OpenAI account (Entra ID only: local/key auth disabled) and its model deployments.
metadata description = 'Azure OpenAI account with model deployments; key auth disabled.'

param name string
param location string
param tags object = {}

@description('Globally unique subdomain: the endpoint becomes https://<customSubDomainName>.openai.azure.com/.')
param customSubDomainName string = name

@description('Model deployments: { name, model: { name, version }, sku: { name, capacity } }.')
param deployments array = []

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    customSubDomainName: customSubDomainName
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
    }
  }
}

// One at a time: the service rejects concurrent deployment changes on one account.
@batchSize(1)
resource modelDeployments 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = [
  for deployment in deployments: {
    parent: account
    name: deployment.name
    sku: deployment.sku
    properties: {
      model: {
        format: 'OpenAI'
        name: deployment.model.name
        version: deployment.model.version
      }
      raiPolicyName: 'Microsoft.DefaultV2'
      versionUpgradeOption: 'NoAutoUpgrade'
    }
  }
]

output id string = account.id
output name string = account.name
output endpoint string = account.properties.endpoint
