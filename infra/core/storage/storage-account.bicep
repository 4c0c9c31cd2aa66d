// Storage account reachable only with Entra ID (no shared keys, no anonymous blobs),
// with the blob containers and tables it is given.
metadata description = 'StorageV2 account with identity-only access, blob containers and tables.'

param name string
param location string
param tags object = {}

@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_RAGRS'
])
param skuName string = 'Standard_LRS'

@description('Blob containers to create (private).')
param containers string[] = []

@description('Tables to create.')
param tables string[] = []

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }

  resource blobServices 'blobServices' = {
    name: 'default'

    resource blobContainers 'containers' = [
      for container in containers: {
        name: container
        properties: {
          publicAccess: 'None'
        }
      }
    ]
  }

  resource tableServices 'tableServices' = {
    name: 'default'

    resource storageTables 'tables' = [
      for table in tables: {
        name: table
      }
    ]
  }
}

output id string = storage.id
output name string = storage.name
output primaryBlobEndpoint string = storage.properties.primaryEndpoints.blob
output tableServiceUri string = 'https://${storage.name}.table.${environment().suffixes.storage}'
